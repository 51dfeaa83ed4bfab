"""A visit's place on a technician's day: the time it holds, its route order, its pins.

Owner: dispatch.schedule (1:1 with its visit). The technician id is a copy of the visit's,
written together with it (Visit.hold), because PostgreSQL's exclusion constraint
`route_stops_no_overlap` needs it beside the reserved span (migration 0014).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class RouteStop(Base):
    """Where and when a visit sits on a technician's day, and what the planner must keep."""

    __tablename__ = "route_stops"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    planned_start: Mapped[datetime | None]  # ETA from the accepted plan or insertion
    # The technician time the visit holds; never two overlapping spans of one technician.
    reserved_start: Mapped[datetime | None]
    reserved_end: Mapped[datetime | None]
    route_position: Mapped[int | None]
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("route_plans.id"))
    pinned_technician: Mapped[bool] = mapped_column(default=False)  # planner keeps technician
    pinned_start: Mapped[datetime | None]  # planner keeps this start time

    @property
    def reserved(self) -> tuple[datetime, datetime] | None:
        if self.reserved_start is None or self.reserved_end is None:
            return None
        return self.reserved_start, self.reserved_end

    def hold(self, technician_id: int | None, start: datetime | None, minutes: int) -> None:
        """Plan the visit at `start` for the technician, holding start + minutes (or nothing)."""
        self.technician_id, self.planned_start = technician_id, start
        if technician_id is None or start is None:
            self.keep(None)
        else:
            self.keep((start, start + timedelta(minutes=minutes)))

    def keep(self, span: tuple[datetime, datetime] | None) -> None:
        """Hold exactly `span` (None frees the technician's time)."""
        self.reserved_start, self.reserved_end = span or (None, None)

    def place(self, position: int | None, plan_id: int | None) -> None:
        self.route_position, self.plan_id = position, plan_id

    def pin(self, technician: bool, start: datetime | None) -> None:
        self.pinned_technician, self.pinned_start = technician, start
