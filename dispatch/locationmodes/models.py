"""A job's location mode (owner: dispatch.locationmodes; 1:1 with the request)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base


class JobLocationMode(Base):
    __tablename__ = "job_location_modes"
    audit_entity = "job_location_mode"

    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def id(self) -> int:
        return self.request_id

    def change(self, mode: str, by_user_id: int | None) -> None:
        self.mode, self.set_by_id = mode, by_user_id

    def snapshot(self) -> dict:
        return {"mode": self.mode}
