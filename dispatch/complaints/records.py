"""Records around a complaint: routes, assists, appeals, linked jobs, notes, compensation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.attachments.models import Attachment
from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.intake.models import ServiceRequest


class ComplaintRoute(Base):
    """Who handles complaints of a category and/or about a department (CMP-4)."""

    __tablename__ = "complaint_routes"
    __table_args__ = (UniqueConstraint("category", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str | None] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(64))
    handler_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class ComplaintAssist(Base):
    """An assist-investigation request (协查通知) to a department, tracked until done (CMP-12)."""

    __tablename__ = "complaint_assists"
    audit_entity = "complaint_assist"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    department: Mapped[str] = mapped_column(String(64))
    request: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]

    def snapshot(self) -> dict:
        return {"department": self.department, "done": self.done_at is not None}


class ComplaintEvidence(Base):
    """An uploaded file linked to the investigation record as its evidence (CMP-12, INT-16)."""

    __tablename__ = "complaint_evidence"
    __table_args__ = (UniqueConstraint("complaint_id", "attachment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"))
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    attachment: Mapped[Attachment] = relationship()


class ComplaintAppeal(Base):
    """The customer's appeal (申诉) against a solution and the superior's re-evaluation (CMP-14)."""

    __tablename__ = "complaint_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    superior_role: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    evaluation: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))  # new_solution | reinvestigate
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ComplaintJob(Base):
    """An inspection or repair job a hard complaint created (CMP-15)."""

    __tablename__ = "complaint_jobs"
    __table_args__ = (UniqueConstraint("request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"))

    request: Mapped[ServiceRequest] = relationship()


class SpecialNote(Base):
    """特别记录 on a customer after a complaint: staff and technicians only (CMP-20, PRV-12)."""

    __tablename__ = "customer_special_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    note: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Compensation(Base):
    """Compensation granted on a complaint or a job: type, amount, reason, approver (CMP-21)."""

    __tablename__ = "compensations"
    __table_args__ = (
        CheckConstraint("(complaint_id IS NULL) <> (request_id IS NULL)", name="complaint_or_job"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )
    audit_entity = "compensation"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    amount_cents: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict:
        return {"kind": self.kind, "amount_cents": self.amount_cents}
