"""The request's contact timeline: every call, SMS, visit and app message (INT-13).

Calls and app messages are logged by staff; SMS about the request are logged when queued, and
SMS about its visits and the visits themselves are read from their own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.intake.contact_log import RequestContact
from dispatch.intake.service import get_request
from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit

SHOWN = 200  # the latest entries of each source


@dataclass
class TimelineEntry:
    at: datetime
    channel: str
    direction: str
    summary: str
    author_id: int | None = None


def log_contact(
    *, session: Session, actor: Actor, request_id: int, channel: str, direction: str, summary: str
) -> RequestContact:
    """Log a call or app message with the customer on the request (INT-13)."""
    request = get_request(session, request_id, actor=actor)
    contact = RequestContact(
        request_id=request.id,
        channel=channel,
        direction=direction,
        summary=summary,
        author_id=actor.id,
        at=utcnow(),
    )
    session.add(contact)
    session.flush()
    return contact


def timeline(session: Session, actor: Actor, request_id: int) -> list[TimelineEntry]:
    """Return every contact on the request, oldest first, in a fixed number of queries."""
    request = get_request(session, request_id, actor=actor)
    logged = session.scalars(
        select(RequestContact)
        .where(RequestContact.request_id == request.id)
        .order_by(RequestContact.id.desc())
        .limit(SHOWN)
    ).all()
    visits = session.scalars(
        select(Visit).where(Visit.request_id == request.id).order_by(Visit.id.desc()).limit(SHOWN)
    ).all()
    texts = session.scalars(
        select(SmsMessage)
        .where(SmsMessage.visit_id.in_([v.id for v in visits]))
        .order_by(SmsMessage.id.desc())
        .limit(SHOWN)
    ).all()
    entries = [TimelineEntry(c.at, c.channel, c.direction, c.summary, c.author_id) for c in logged]
    entries += [
        TimelineEntry(s.created_at, "sms", "outbound", f"{s.template}: {s.body}") for s in texts
    ]
    entries += [
        TimelineEntry(v.arrived_at, "visit", "outbound", f"Visit {v.number} on site")
        for v in visits
        if v.arrived_at
    ]
    return sorted(entries, key=lambda e: e.at)
