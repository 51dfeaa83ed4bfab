"""A visit's appointment with the customer: proposed, confirmed, moved, cancelled, released.

Owner: dispatch.booking (1:1 with its visit). Its state moves only through the visit's
lifecycle methods (Visit.confirm, repropose, move_window, release, cancel, miss, complete),
which check APPOINTMENT_LIFECYCLE.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base
from dispatch.visits.rules import AppointmentStatus


class Appointment(Base):
    """The customer's side of a visit: the agreed state, moves and a dispatcher's release."""

    __tablename__ = "appointments"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), default=AppointmentStatus.PROPOSED)
    confirmed_at: Mapped[datetime | None]
    reschedule_count: Mapped[int] = mapped_column(default=0)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # A dispatcher let the technician set off although the appointment is unconfirmed or on
    # another day (the reason is kept and audited).
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    release_reason: Mapped[str | None] = mapped_column(String(500))
