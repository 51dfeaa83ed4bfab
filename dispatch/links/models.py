"""Customer links: signed, single-purpose, expiring, revocable (PRV-11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.visits.models import Visit

PURPOSES = ("appointment", "reschedule", "cancel", "followup", "sign", "voucher")


class CustomerLink(Base):
    __tablename__ = "customer_links"
    audit_entity = "customer_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(43), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship()

    def live(self, now: datetime) -> bool:
        """Whether the link still opens its page (not withdrawn, not expired)."""
        return self.revoked_at is None and self.expires_at > now

    def snapshot(self) -> dict:
        """What an audit row shows of a link: never its token."""
        return {"purpose": self.purpose, "visit_id": self.visit_id}
