"""An opinion or suggestion of a customer, and the staff's replies to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.opinions.rules import OPINION_LIFECYCLE, OpinionStatus
from dispatch.visits.models import Visit

S = OpinionStatus


class Opinion(Base):
    """One opinion in a department's inbox; its status moves only through the methods below."""

    __tablename__ = "opinions"
    audit_entity = "opinion"
    # A retried submission (same Idempotency-Key of the same customer) is the same opinion.
    __table_args__ = (UniqueConstraint("customer_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("followups.id"), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[str] = mapped_column(String(24))
    department: Mapped[str] = mapped_column(String(24), index=True)
    text: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default=S.OPEN)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_key: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_note: Mapped[str | None] = mapped_column(String(500))

    visit: Mapped[Visit] = relationship()
    replies: Mapped[list[OpinionReply]] = relationship(
        back_populates="opinion", order_by="OpinionReply.id"
    )

    @property
    def closed(self) -> bool:
        return self.status == S.CLOSED

    def _move(self, to: OpinionStatus) -> None:
        OPINION_LIFECYCLE.check(self.status, to)
        self.status = to

    def acknowledge(self, *, owner_id: int, at: datetime) -> None:
        """Take the opinion: the acting staff member owns it from now on."""
        self._move(S.ACKNOWLEDGED)
        self.owner_id, self.acknowledged_at = owner_id, at

    def take_for_reply(self, *, owner_id: int, at: datetime) -> None:
        """A reply to an open opinion acknowledges it for the replier; a closed one refuses."""
        if self.status == S.OPEN:
            self.acknowledge(owner_id=owner_id, at=at)
        OPINION_LIFECYCLE.check(self.status, S.CLOSED)  # closed: no more replies

    def close(self, *, at: datetime, note: str | None, by_id: int) -> None:
        self._move(S.CLOSED)
        self.closed_at, self.close_note = at, note
        self.owner_id = self.owner_id or by_id

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change (never the text)."""
        return {"status": self.status, "department": self.department, "owner_id": self.owner_id}


class OpinionReply(Base):
    """A staff reply, stored and sent to the customer by SMS (FUP-11)."""

    __tablename__ = "opinion_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(String(500))
    sms_id: Mapped[int | None] = mapped_column(ForeignKey("sms_messages.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    opinion: Mapped[Opinion] = relationship(back_populates="replies")
