"""Return-visit plans (configuration) and the return visits (follow-up tasks) they create."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import Conflict
from dispatch.intake.models import ServiceRequest
from dispatch.returnvisits.rules import RETURN_VISIT_LIFECYCLE, ReturnVisitStatus

RV = ReturnVisitStatus


class ReturnVisitPlan(Base):
    """Return visits every `interval_months` after a job of a service class or product."""

    __tablename__ = "return_visit_plans"
    audit_entity = "return_visit_plan"
    __table_args__ = (
        CheckConstraint("(service_class IS NULL) <> (product_model IS NULL)", name="one_key"),
        CheckConstraint("interval_months BETWEEN 1 AND 60", name="interval_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_class: Mapped[str | None] = mapped_column(String(1))
    product_model: Mapped[str | None] = mapped_column(String(120))
    interval_months: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def change(self, *, interval_months: int | None = None, active: bool | None = None) -> None:
        if interval_months is not None:
            self.interval_months = interval_months
        if active is not None:
            self.active = active

    def snapshot(self) -> dict:
        return {
            "service_class": self.service_class,
            "product_model": self.product_model,
            "interval_months": self.interval_months,
            "active": self.active,
        }


class ReturnVisit(Base):
    """One return-visit task of a completed job, due at a time; it ends with an outcome."""

    __tablename__ = "return_visits"
    audit_entity = "return_visit"
    # One task per plan, job and due time: a sweep running twice creates nothing new.
    __table_args__ = (UniqueConstraint("plan_id", "request_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("return_visit_plans.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(8), default=RV.DUE)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(1000))
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ServiceRequest] = relationship()
    plan: Mapped[ReturnVisitPlan] = relationship()

    def record_outcome(self, *, outcome: str, note: str | None, by_id: int, at: datetime):
        """Record how the return visit went; a done one is read-only."""
        if not RETURN_VISIT_LIFECYCLE.allows(self.status, RV.DONE):
            raise Conflict(
                "This return visit is done and can no longer be changed",
                error_code="return_visit_done",
                details={"status": self.status},
            )
        self.status = RV.DONE
        self.outcome, self.note, self.done_by_id, self.done_at = outcome, note, by_id, at

    def snapshot(self) -> dict:
        return {"status": self.status, "outcome": self.outcome, "owner_id": self.owner_id}
