"""A login of one user on one device; its refresh token rotates and logout revokes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base

STAFF, MOBILE = "staff", "mobile"  # the door a session was opened through


def token_channel(claims: dict) -> str:
    """Return the door (staff or mobile) a token was issued through."""
    return claims.get("chn", MOBILE)  # device tokens from before channels were mobile ones


class DeviceSession(Base):
    __tablename__ = "device_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(128))
    channel: Mapped[str] = mapped_column(String(16), default=MOBILE, server_default=MOBILE)
    refresh_jti: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    refreshed_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(String(32))

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def revoke(self, at: datetime, reason: str) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoke_reason = at, reason
