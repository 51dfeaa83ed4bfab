"""Alerts for staff: a bad rating, a breached SLA clock, a phone task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base


class StaffAlert(Base):
    __tablename__ = "staff_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    message: Mapped[str] = mapped_column(String(500))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
