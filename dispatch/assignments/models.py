"""One row per assignment of a visit to a technician; reassignments keep the earlier rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.assignments.rules import ASSIGNMENT_LIFECYCLE, AssignmentStatus
from dispatch.clock import utcnow
from dispatch.db import Base


class JobAssignment(Base):
    """Who assigned the visit to whom, when and why (DSP-4), and whether it was accepted (DSP-5).

    Owner: dispatch.assignments. `pushed_at` and `alerted_at` make the push and the 15-minute
    alert due rows: the worker's sweeps find them in the database (DSP-5).
    """

    __tablename__ = "job_assignments"
    audit_entity = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(24), default=AssignmentStatus.AWAITING_ACCEPTANCE)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    accept_due_at: Mapped[datetime] = mapped_column(index=True)
    pushed_at: Mapped[datetime | None]
    push_ref: Mapped[str | None] = mapped_column(String(120))
    accepted_at: Mapped[datetime | None]
    accepted_device_at: Mapped[datetime | None]
    alerted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    # DSP-10: a simple job gets a dispatcher check task 1 h after dispatch unless completed.
    check_due_at: Mapped[datetime | None]
    check_raised_at: Mapped[datetime | None]
    # DSP-11: the region's emergency arrival SLA, dispatch → check-in (when switched on).
    arrival_due_at: Mapped[datetime | None]
    arrival_breached_at: Mapped[datetime | None]
    # DSP-9: dispatched but not finished at the day end: who takes it over, and the note.
    handover_note: Mapped[str | None] = mapped_column(String(1000))
    handover_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handover_at: Mapped[datetime | None]

    def _move(self, to: AssignmentStatus) -> None:
        ASSIGNMENT_LIFECYCLE.check(self.status, to)
        self.status = to

    @property
    def open(self) -> bool:
        return self.status != AssignmentStatus.SUPERSEDED

    def accept(self, *, at: datetime, device_at: datetime | None) -> bool:
        """Accept the job (接单); return False when it was already accepted."""
        if self.status == AssignmentStatus.ACCEPTED:
            return False
        self._move(AssignmentStatus.ACCEPTED)
        self.accepted_at, self.accepted_device_at = at, device_at
        return True

    def supersede(self, *, at: datetime) -> None:
        self._move(AssignmentStatus.SUPERSEDED)
        self.ended_at = at

    def mark_pushed(self, ref: str, at: datetime) -> None:
        self.push_ref, self.pushed_at = ref[:120], at

    def mark_alerted(self, at: datetime) -> None:
        self.alerted_at = at

    def plan_check(self, due: datetime | None) -> None:
        self.check_due_at = due

    def mark_check_raised(self, at: datetime) -> None:
        self.check_raised_at = at

    def plan_arrival(self, due: datetime | None) -> None:
        self.arrival_due_at = due

    def mark_arrival_breached(self, at: datetime) -> None:
        self.arrival_breached_at = at

    def hand_over(self, *, note: str, owner_id: int, at: datetime) -> None:
        self.handover_note, self.handover_owner_id, self.handover_at = note, owner_id, at

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "technician_id": self.technician_id,
            "source": self.source,
            "reason": self.reason,
        }


class ShiftClosure(Base):
    """A region's dispatch shift of one day, closed once every unfinished job was handed over
    (DSP-9)."""

    __tablename__ = "shift_closures"
    __table_args__ = (UniqueConstraint("region_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    day: Mapped[date]
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobTransfer(Base):
    """DSP-13: a job handed to another region or department, with its reason; the sending
    region keeps sight of it through this row."""

    __tablename__ = "job_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    from_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    to_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    to_department: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
