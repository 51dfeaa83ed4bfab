"""A request's service plan: the remedy, its estimate, and the customer's agreement (INT-12).

Owner: dispatch.serviceplans (1:1 with its request). Its status moves only through the methods
below; dispatch asks `rules.blocks_dispatch` before a technician is assigned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import InvalidTransition, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.serviceplans.rules import PLAN_LIFECYCLE, PlanStatus, estimate_problem, money_text


class ServicePlan(Base):
    """The plan staff propose when the remedy is known at intake."""

    __tablename__ = "service_plans"
    audit_entity = "service_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.DRAFTING)
    remedy: Mapped[str] = mapped_column(Text)
    estimate_cents: Mapped[int | None]
    estimate_minutes: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)  # counts proposals
    drafted_at: Mapped[datetime]
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None]
    # The customer's link of the current proposal; a new proposal gets a new one.
    link_jti: Mapped[str | None] = mapped_column(String(43), unique=True)
    link_expires_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    agreed_via: Mapped[str | None] = mapped_column(String(8))  # link or agent
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the agent
    rejected_at: Mapped[datetime | None]  # the last rejection
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    rejections: Mapped[int] = mapped_column(default=0)

    request: Mapped[ServiceRequest] = relationship()

    @property
    def agreed(self) -> bool:
        return self.status == PlanStatus.AGREED

    @property
    def cost_text(self) -> str:
        """The estimated cost as the customer reads it."""
        return money_text(self.estimate_cents)

    @property
    def proposed(self) -> bool:
        return self.status == PlanStatus.PROPOSED

    def _move(self, to: PlanStatus) -> None:
        PLAN_LIFECYCLE.check(self.status, to)
        self.status = to

    def draft(
        self,
        *,
        remedy: str,
        estimate_cents: int | None,
        estimate_minutes: int | None,
        by_user_id: int,
        at: datetime,
    ) -> None:
        """Write the remedy and estimate; only while drafting (a proposal is decided first)."""
        if self.status != PlanStatus.DRAFTING:
            raise InvalidTransition(
                f"Service plan is {self.status}; only a plan in drafting is edited",
                details={"status": self.status},
            )
        self.remedy, self.estimate_cents = remedy, estimate_cents
        self.estimate_minutes = estimate_minutes
        self.drafted_by_id, self.drafted_at = by_user_id, at

    def propose(self, *, service_class: str, link_jti: str, at: datetime, expires_at: datetime):
        """Send the drafted plan to the customer; the estimate must fit the class."""
        problem = estimate_problem(service_class, self.estimate_cents, self.estimate_minutes)
        if problem:
            raise RuleViolation(f"The plan cannot be proposed: {problem[1]}", error_code=problem[0])
        if self.proposed_at is not None:
            self.version += 1
        self._move(PlanStatus.PROPOSED)
        self.proposed_at, self.link_jti, self.link_expires_at = at, link_jti, expires_at

    def agree(self, *, via: str, by_user_id: int | None, at: datetime) -> None:
        """The customer agrees (同意方案), on the link or through an agent."""
        self._move(PlanStatus.AGREED)
        self.agreed_at, self.agreed_via, self.agreed_by_id = at, via, by_user_id

    def reject(self, *, reason: str, at: datetime) -> None:
        """The customer rejects the proposal: the plan goes back to drafting."""
        self._move(PlanStatus.DRAFTING)
        self.rejected_at, self.reject_reason = at, reason
        self.rejections += 1

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "status": self.status,
            "version": self.version,
            "remedy": self.remedy,
            "estimate_cents": self.estimate_cents,
            "estimate_minutes": self.estimate_minutes,
            "agreed_via": self.agreed_via,
        }
