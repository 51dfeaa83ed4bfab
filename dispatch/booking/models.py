"""A visit's appointment with the customer: proposed, confirmed, moved, cancelled, released.

Owner: dispatch.booking (1:1 with its visit). Its state moves only through the visit's
lifecycle methods (Visit.confirm, repropose, move_window, release, cancel, miss, complete),
which check APPOINTMENT_LIFECYCLE.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base
from dispatch.visits.rules import AppointmentStatus


class Appointment(Base):
    """The customer's side of a visit: the agreed state, moves and a dispatcher's release."""

    __tablename__ = "appointments"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(24), default=AppointmentStatus.PROPOSED)
    # APT-3: assessment, repair, installation, collection, drop_off or return.
    kind: Mapped[str] = mapped_column(String(16), default="repair", server_default="repair")
    confirmed_at: Mapped[datetime | None]
    # APT-4: the customer (by link) or an agent on the customer's behalf.
    confirmed_via: Mapped[str | None] = mapped_column(String(16))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # APT-10: shown to the technician with the visit.
    assistance_notes: Mapped[str | None] = mapped_column(Text)
    access_instructions: Mapped[str | None] = mapped_column(Text)
    reschedule_count: Mapped[int] = mapped_column(default=0)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # A dispatcher let the technician set off although the appointment is unconfirmed or on
    # another day (the reason is kept and audited).
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    release_reason: Mapped[str | None] = mapped_column(String(500))
