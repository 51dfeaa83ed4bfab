"""One line per part a job needs, with the time of each step (owner: dispatch.jobparts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.jobparts.rules import JOB_PART_LIFECYCLE, JobPartStatus


class JobPart(Base):
    __tablename__ = "job_parts"
    audit_entity = "job_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    part_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=JobPartStatus.NEEDED)
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    needed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ordered_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]

    def move(self, to: JobPartStatus, at: datetime) -> None:
        JOB_PART_LIFECYCLE.check(self.status, to)
        self.status = to
        stamp = {"ordered": "ordered_at", "ready": "ready_at", "used": "used_at"}.get(str(to))
        if stamp:
            setattr(self, stamp, at)

    def snapshot(self) -> dict:
        return {"status": self.status, "part_code": self.part_code, "quantity": self.quantity}
