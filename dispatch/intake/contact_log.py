"""The contact log of a request (INT-13): one row per call, SMS or app message.

Owner: dispatch.intake.contacts (the timeline reads it beside visits and visit SMS).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.notifications.models import SmsMessage

CHANNELS = ("call", "sms", "visit", "app_message")
DIRECTIONS = ("inbound", "outbound")


class RequestContact(Base):
    """One contact with the customer about a request: time, channel, author, summary."""

    __tablename__ = "request_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(8), default="outbound")
    summary: Mapped[str] = mapped_column(String(1000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sms_id: Mapped[int | None] = mapped_column(ForeignKey("sms_messages.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def log_sms(session: Session, request, sms: SmsMessage, author_id: int | None) -> None:
    """Put an SMS about the request (not one of its visits) on its timeline."""
    session.add(
        RequestContact(
            request_id=request.id,
            channel="sms",
            summary=f"{sms.template}: {sms.body}"[:1000],
            author_id=author_id,
            sms_id=sms.id,
        )
    )
