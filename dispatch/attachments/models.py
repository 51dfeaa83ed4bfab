"""A stored file on a request, a visit or a complaint, with its uploader and time (INT-16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class Attachment(Base):
    """One uploaded file. Internal: no customer-facing endpoint lists or serves it (PRV-12)."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id", "id"),)
    audit_entity = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(16))  # rules.OwnerKind
    owner_id: Mapped[int]
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))  # of the owner
    media: Mapped[str] = mapped_column(String(8))  # photo | video | document
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str | None] = mapped_column(String(500))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime]

    def snapshot(self) -> dict:
        return {
            "owner": f"{self.owner_kind}:{self.owner_id}",
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }
