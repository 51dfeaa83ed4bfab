"""Every SMS the system sends, with its status and its last attempt at the provider."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import InvalidTransition


class SmsStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # an attempt was recorded; the provider may or may not have it
    SENT = "sent"
    UNCERTAIN = "uncertain"  # the provider cannot say whether an interrupted attempt arrived
    FAILED = "failed"


TRANSITIONS: dict[SmsStatus, frozenset[SmsStatus]] = {
    SmsStatus.PENDING: frozenset({SmsStatus.SENDING}),
    # back to pending only when the provider surely did not take the text
    SmsStatus.SENDING: frozenset({SmsStatus.SENT, SmsStatus.PENDING, SmsStatus.UNCERTAIN}),
    SmsStatus.SENT: frozenset(),
    SmsStatus.UNCERTAIN: frozenset(),
    SmsStatus.FAILED: frozenset(),
}


class SmsMessage(Base):
    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_phone: Mapped[str] = mapped_column(String(20))
    template: Mapped[str] = mapped_column(String(48))
    language: Mapped[str] = mapped_column(String(8))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=SmsStatus.PENDING)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"), index=True)
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    attempted_at: Mapped[datetime | None]  # written and committed before each provider call
    client_ref: Mapped[str | None] = mapped_column(String(64))  # our reference at the provider

    def _move(self, to: SmsStatus) -> None:
        if to not in TRANSITIONS[SmsStatus(self.status)]:
            raise InvalidTransition(f"SMS {self.id} is {self.status}; it cannot become {to}")
        self.status = to

    def begin_attempt(self, *, at: datetime, client_ref: str) -> None:
        """Record an attempt before the provider is called (a crash then leaves 'sending')."""
        if self.status != SmsStatus.SENDING:
            self._move(SmsStatus.SENDING)
        self.attempts += 1
        self.attempted_at = at
        self.client_ref = self.client_ref or client_ref

    def mark_sent(self, *, provider_ref: str, at: datetime) -> None:
        """Record the provider's answer."""
        self._move(SmsStatus.SENT)
        self.provider_ref, self.sent_at, self.error = provider_ref, at, None

    def mark_not_sent(self, error: str) -> None:
        """The provider refused or never got the text: it may be sent again."""
        self._move(SmsStatus.PENDING)
        self.error = error[:500]

    def mark_uncertain(self, error: str) -> None:
        """Nobody can tell whether the text arrived: never resend it blindly."""
        self._move(SmsStatus.UNCERTAIN)
        self.error = error[:500]
