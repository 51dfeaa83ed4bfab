"""The customer accepts the quote from an SMS link instead of the technician's phone (VCH-3)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dispatch.actors import Actor, customer_actor
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict
from dispatch.links import service as links
from dispatch.notifications.service import queue_sms
from dispatch.quotes import rules
from dispatch.quotes.models import Quote
from dispatch.quotes.service import for_technician, record_acceptance
from dispatch.visits.models import Visit
from dispatch.visits.service import checked_device_time

PURPOSE = "quote"
QUOTE_LINK_LIFETIME = timedelta(hours=2)  # accepted while the technician waits on site


def send_link(
    *, session: Session, actor: Actor, config: Config, visit_id: int, device_time: datetime
) -> Visit:
    """Text the customer a link to read and accept the quote (the old link stops working)."""
    quote = for_technician(session=session, actor=actor, visit_id=visit_id)
    checked_device_time(device_time)
    if quote.accepted:
        raise Conflict("The customer already accepted this quote", error_code="quote_accepted")
    visit = quote.visit
    links.revoke_for_visit(session, visit.id, PURPOSE)
    token = links.issue(
        session,
        secret_key=config.secret_key,
        purpose=PURPOSE,
        visit=visit,
        expires_at=utcnow() + QUOTE_LINK_LIFETIME,
    )
    queue_sms(
        session,
        customer=visit.request.customer,
        template="quote_accept_request",
        visit_id=visit.id,
        number=visit.number,
        total=f"{quote.total_cents / 100:.2f}",
        link=links.page_url(config.public_base_url, token),
    )
    return visit


def quote_of_link(session: Session, *, config: Config, token: str) -> Quote:
    """Return the quote a live link shows (LinkInvalid otherwise)."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose=PURPOSE)
    return link.visit.quote


def accept_by_link(session: Session, *, config: Config, token: str, accepted_by: str) -> Quote:
    """Record the customer's acceptance from the link page; the link is then spent."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose=PURPOSE)
    quote = record_acceptance(
        session,
        actor=customer_actor(link.customer_id),
        visit=link.visit,
        at=utcnow(),
        via=rules.AcceptedVia.LINK,
        accepted_by=accepted_by,
    )
    links.revoke_for_visit(session, link.visit_id, PURPOSE)
    return quote
