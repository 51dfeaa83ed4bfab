"""Complaints with a first-responsible owner, SLA clocks, transfers, escalations, steps."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.complaints.rules import COMPLAINT_LIFECYCLE, OPEN_STATES, ComplaintStatus
from dispatch.customers.models import Customer
from dispatch.db import Base
from dispatch.users.models import User

if TYPE_CHECKING:
    from dispatch.complaints.records import (
        Compensation,
        ComplaintAppeal,
        ComplaintAssist,
        ComplaintEvidence,
        ComplaintJob,
    )


class Complaint(Base):
    """A complaint; its status moves only through `move`, along COMPLAINT_LIFECYCLE."""

    __tablename__ = "complaints"
    audit_entity = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    # One complaint per bad follow-up answer, whatever retries the answer goes through.
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    timezone: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    nature: Mapped[str] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(8), default="general")
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    description: Mapped[str] = mapped_column(Text)
    # CMP-1: where and how it happened, who is involved, the job and technician concerned.
    place: Mapped[str | None] = mapped_column(String(300))
    course_of_events: Mapped[str | None] = mapped_column(Text)
    involved: Mapped[list] = mapped_column(default=list)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_requests.id"))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    department: Mapped[str | None] = mapped_column(String(64))  # the department complained about
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # person ditto
    expected_resolution: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default=ComplaintStatus.RECEIVED)
    received_at: Mapped[datetime]  # when the customer complained (CMP-1)
    registered_at: Mapped[datetime]  # when the server stored it
    received_outside_cs: Mapped[bool] = mapped_column(default=False)  # forwarding clock (CMP-5)
    # 首问负责: set once at intake and never overwritten by transfers (CMP-2).
    first_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    escalation_level: Mapped[int] = mapped_column(default=0)
    # CMP-11 case opening (立案)
    case_decided_at: Mapped[datetime | None]
    case_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_decision_note: Mapped[str | None] = mapped_column(Text)
    # CMP-12 investigation
    authentic: Mapped[bool | None]
    cause: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(default=list)
    responsible_party: Mapped[str | None] = mapped_column(String(200))
    plan_steps: Mapped[str | None] = mapped_column(Text)
    plan_deadline: Mapped[datetime | None]
    plan_remedies: Mapped[list | None]
    plan_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan_accepted_at: Mapped[datetime | None]
    plan_accepted_via: Mapped[str | None] = mapped_column(String(8))  # link or agent (CMP-14)
    gm_decided_at: Mapped[datetime | None]  # a general manager's decision overrides (CMP-14)
    gm_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # CMP-16 review of a serious complaint: remedies and the people responsible
    review_remedies: Mapped[str | None] = mapped_column(Text)
    review_responsible: Mapped[list | None]
    reviewed_at: Mapped[datetime | None]
    # CMP-15 service report for head office (hard complaints)
    report_cause: Mapped[str | None] = mapped_column(Text)
    report_fix: Mapped[str | None] = mapped_column(Text)
    report_prevention: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None]
    link_jti: Mapped[str | None] = mapped_column(String(43), unique=True)  # CMP-18 customer link
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    followup_satisfied: Mapped[bool | None]
    followup_note: Mapped[str | None] = mapped_column(Text)
    followed_up_at: Mapped[datetime | None]
    customer_feedback: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    # --- CMP-9/10: major triggers, customer-service supervision, repeat-repair candidate ---
    major_triggers: Mapped[list] = mapped_column(default=list)
    damage_cents: Mapped[int | None]
    supervised_by_cs: Mapped[bool] = mapped_column(default=False)
    repeat_repair_candidate: Mapped[bool] = mapped_column(default=False)

    customer: Mapped[Customer] = relationship()
    first_owner: Mapped[User] = relationship(foreign_keys=[first_owner_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    clocks: Mapped[list[ComplaintClock]] = relationship(
        back_populates="complaint", order_by="ComplaintClock.id"
    )
    transfers: Mapped[list[ComplaintTransfer]] = relationship(order_by="ComplaintTransfer.id")
    escalations: Mapped[list[ComplaintEscalation]] = relationship(order_by="ComplaintEscalation.id")
    steps: Mapped[list[ComplaintStep]] = relationship(order_by="ComplaintStep.id")
    assists: Mapped[list[ComplaintAssist]] = relationship(order_by="ComplaintAssist.id")
    # CMP-12: uploaded files linked to the investigation as evidence (INT-16)
    evidence_files: Mapped[list[ComplaintEvidence]] = relationship(order_by="ComplaintEvidence.id")
    appeals: Mapped[list[ComplaintAppeal]] = relationship(order_by="ComplaintAppeal.id")
    jobs: Mapped[list[ComplaintJob]] = relationship(order_by="ComplaintJob.id")
    compensations: Mapped[list[Compensation]] = relationship(order_by="Compensation.id")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def overdue(self) -> bool:
        """Any clock breached and still unmet (CMP-8)."""
        return any(c.breached_at and not c.met_at for c in self.clocks)

    @property
    def investigating(self) -> bool:
        return self.status == ComplaintStatus.INVESTIGATING

    def move(self, to: ComplaintStatus, at: datetime | None = None) -> str:
        """Change state along COMPLAINT_LIFECYCLE, timestamped (CMP-18); return the state left."""
        COMPLAINT_LIFECYCLE.check(self.status, to)
        before, self.status = self.status, to
        self.steps.append(ComplaintStep(status=to, at=at or utcnow()))
        return before

    def hand_to(self, user_id: int, reason: str, by_user_id: int | None) -> None:
        """Give the complaint to another handler, recording who, why and when (CMP-3, CMP-4)."""
        self.transfers.append(
            ComplaintTransfer(
                from_owner_id=self.owner_id,
                to_owner_id=user_id,
                reason=reason,
                by_user_id=by_user_id,
            )
        )
        self.owner_id = user_id

    @property
    def solution_final(self) -> bool:
        """Whether a general manager has decided; nobody below overrides that (CMP-14)."""
        return self.gm_decided_at is not None

    @property
    def open_appeal(self) -> ComplaintAppeal | None:
        return next((a for a in self.appeals if a.decided_at is None), None)

    def clock(self, name: str) -> ComplaintClock | None:
        return next((c for c in self.clocks if c.name == name), None)

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "owner_id": self.owner_id,
            "level": self.escalation_level,
            "severity": self.severity,
            "supervised_by_cs": self.supervised_by_cs,
        }


class ComplaintStep(Base):
    """One status change of a complaint and its time (CMP-18)."""

    __tablename__ = "complaint_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime]


class ComplaintClock(Base):
    """One SLA timer of a complaint: due, met, breached (CMP-7)."""

    __tablename__ = "complaint_clocks"
    __table_args__ = (UniqueConstraint("complaint_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    name: Mapped[str] = mapped_column(String(24))
    started_at: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)
    met_at: Mapped[datetime | None]
    breached_at: Mapped[datetime | None]

    complaint: Mapped[Complaint] = relationship(back_populates="clocks")

    def meet(self, at: datetime) -> None:
        if self.met_at is None:
            self.met_at = at


class ComplaintTransfer(Base):
    """A change of handler, always with a reason (CMP-3, CMP-4)."""

    __tablename__ = "complaint_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    from_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ComplaintEscalation(Base):
    """One step up the ladder: level, target, reason, time (CMP-16)."""

    __tablename__ = "complaint_escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    level: Mapped[int]
    target_role: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
