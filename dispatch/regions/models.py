"""Service regions: a time zone, a contact window and an area."""

from __future__ import annotations

from datetime import time

from sqlalchemy import ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # Area as a ring of [lon, lat] points; None means the region has no drawn area yet.
    polygon: Mapped[list | None]
    checkin_radius_m: Mapped[int] = mapped_column(default=300)
    # Regions whose technicians may help here when the dispatcher allows it.
    neighbour_ids: Mapped[list] = mapped_column(default=list)
    # DSP-11: minutes from dispatch to check-in when the emergency arrival SLA is on (None: off).
    emergency_arrival_minutes: Mapped[int | None]
    # DSP-1: the working calendar (dispatch.regions.calendar) and the responsible lead.
    calendar: Mapped[str] = mapped_column(String(16), default="cn")
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # APT-13: when non-urgent SMS may reach its customers; None falls back to the config.
    contact_window_start: Mapped[time | None] = mapped_column(Time)
    contact_window_end: Mapped[time | None] = mapped_column(Time)

    def set_emergency_sla(self, minutes: int | None) -> None:
        self.emergency_arrival_minutes = minutes

    def set_contact_window(self, start: time | None, end: time | None) -> None:
        """Give the region its own contact window (APT-13); None and None use the config's."""
        self.contact_window_start, self.contact_window_end = start, end

    def contact_window(self, default: tuple[time, time]) -> tuple[time, time]:
        """Return the local (start, end) when non-urgent SMS may reach its customers."""
        if self.contact_window_start is None or self.contact_window_end is None:
            return default
        return self.contact_window_start, self.contact_window_end
