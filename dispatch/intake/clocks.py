"""The two promises a job request starts at registration, as a row with their due times.

Owner: dispatch.intake (1:1 with its request). A date is agreed within 1 working day of the
site region's calendar (APT-1, H6, DSP-1); a specific answer (diagnosis plus a confirmed date,
or the request ended without a visit) is given within 72 h (APT-12, H8). The answer's moment
and whether it came late are stored when it is given, so the request and the SLA report read
them as columns (DESIGN §7: the database is the truth for time).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.actors import SYSTEM
from dispatch.audit import audited
from dispatch.booking.models import Appointment
from dispatch.booking.rules import contact_due
from dispatch.db import Base
from dispatch.intake import rules
from dispatch.intake.models import ServiceRequest
from dispatch.visits.models import Visit
from dispatch.visits.rules import AppointmentStatus


class RequestClock(Base):
    """Due times of a job request's booking and answer promises, and when the answer came."""

    __tablename__ = "request_clocks"
    audit_entity = "request_clock"

    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), primary_key=True)
    booking_due_at: Mapped[datetime] = mapped_column(index=True)
    answer_due_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    answered_late: Mapped[bool] = mapped_column(default=False, server_default="false")

    @property
    def id(self) -> int:
        """The audit trail names it by its request."""
        return self.request_id

    def snapshot(self) -> dict:
        return {
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
            "answered_late": self.answered_late,
        }

    def record_answer(self, at: datetime) -> bool:
        """Stop the answer clock once; an answer after its due time stays flagged late."""
        if self.answered_at is not None:
            return False
        self.answered_at = at
        self.answered_late = at > self.answer_due_at
        return True


def start(session: Session, request: ServiceRequest, *, timezone: str) -> RequestClock | None:
    """Start the clocks of a job request in its site region's zone and calendar (DSP-1)."""
    if not rules.creates_job(request.request_type):
        return None
    region = request.site.region if request.site is not None else None
    tz, calendar = (region.timezone, region.calendar) if region else (timezone, "cn")
    clock = RequestClock(
        request_id=request.id,
        booking_due_at=contact_due(request.registered_at, tz=tz, calendar=calendar),
        answer_due_at=request.registered_at + rules.ANSWER_DEADLINE,
    )
    session.add(clock)
    return clock


def note_answer(session: Session, request: ServiceRequest, at: datetime) -> None:
    """Stop the answer clock when the customer now has a specific answer (APT-12)."""
    clock = session.get(RequestClock, request.id)
    if clock is None or clock.answered_at is not None:
        return
    session.flush()
    date_agreed = session.scalar(
        select(Visit.id)
        .join(Appointment, Appointment.visit_id == Visit.id)
        .where(
            Visit.request_id == request.id,
            Appointment.status.in_((AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED)),
        )
        .limit(1)
    )
    diagnosed = request.assessment is not None and request.assessment.diagnosis is not None
    if rules.specific_answer_given(
        diagnosed=diagnosed, date_agreed=date_agreed is not None, status=request.status
    ):
        with audited(session, SYSTEM, clock, "request.answer_clock_stopped"):
            clock.record_answer(at)
