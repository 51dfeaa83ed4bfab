"""A photo of a visit and the progress of its upload."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.visits.models import Visit


class Photo(Base):
    __tablename__ = "photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # before | after | other
    caption: Mapped[str | None] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(32))
    total_size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="uploading")  # | complete
    received_bytes: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # INT-16: uploader
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship()

    @property
    def next_offset(self) -> int:
        return self.received_bytes

    @property
    def is_complete(self) -> bool:
        return self.status == "complete"

    def complete(self, at: datetime) -> None:
        """Mark the upload finished (its bytes matched the announced hash)."""
        if self.is_complete:
            raise InvalidTransition("The photo is already complete")
        self.status, self.completed_at = "complete", at
