"""Technicians: who goes to customers' sites, with skills, hours, shifts and absences."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.db import Base
from dispatch.regions.models import Region
from dispatch.users.models import User

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# H22: staff working hours 08:30–17:30, Monday to Friday unless set otherwise.
DEFAULT_HOURS = {day: ["08:30", "17:30"] for day in WEEKDAYS[:5]}


class Technician(Base):
    __tablename__ = "technicians"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    # Other regions this technician may be sent to (the home region is always served).
    extra_region_ids: Mapped[list] = mapped_column(default=list)
    home_lat: Mapped[float | None]
    home_lon: Mapped[float | None]
    # Where the day ends when it is not home (e.g. a depot); None means home.
    end_lat: Mapped[float | None]
    end_lon: Mapped[float | None]
    skills: Mapped[dict] = mapped_column(default=dict)  # skill name -> level (1 = basic)
    certified: Mapped[bool] = mapped_column(default=True)  # trained: may be dispatched
    active: Mapped[bool] = mapped_column(default=True)
    working_hours: Mapped[dict] = mapped_column(default=lambda: dict(DEFAULT_HOURS))
    lunch_earliest: Mapped[time] = mapped_column(Time, default=time(11, 30))
    lunch_latest: Mapped[time] = mapped_column(Time, default=time(13, 30))
    lunch_minutes: Mapped[int] = mapped_column(default=45)
    max_visits_per_day: Mapped[int | None]
    max_travel_minutes: Mapped[int | None]

    user: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()

    def serves_region(self, region_id: int | None) -> bool:
        """Return whether the technician may be sent to a site of this region."""
        return (
            region_id is None
            or region_id == self.region_id
            or (region_id in (self.extra_region_ids or []))
        )


class Shift(Base):
    """A working period on one day that replaces the weekly hours of that day."""

    __tablename__ = "shifts"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="shift_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    day: Mapped[date]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


class Absence(Base):
    """Time a technician cannot work (sick, leave, training)."""

    __tablename__ = "absences"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="absence_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(200))

    technician: Mapped[Technician] = relationship()
