"""What staff do with customer links: see them per request or visit, send one again (issue 12).

Whoever may see the request may see its links (the region of its site, through
dispatch.access). A resend queues a new SMS with the same live link; the audit row names the
link and the SMS, never the token, and the worker's log redacts it (dispatch.security).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.access import ensure_region, region_clause
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import Conflict, NotFound
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.links.models import CustomerLink
from dispatch.links.service import page_url, token_of
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit
from dispatch.visits.service import get_visit

LINK_SORTS = {
    "-id": order((CustomerLink.id, True)),
    "id": order((CustomerLink.id, False)),
}


@dataclass(frozen=True)
class LinkView:
    """A link as staff see it: its record, whether it works and its address while it does."""

    link: CustomerLink
    live: bool
    url: str | None

    def __getattr__(self, name):
        return getattr(self.link, name)


def _links(session: Session, actor: Actor):
    return (
        select(CustomerLink)
        .join(Visit, Visit.id == CustomerLink.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(region_clause(actor, Site.region_id))
    )


def links_of(
    session: Session,
    actor: Actor,
    config: Config,
    *,
    request_id: int | None = None,
    visit_id: int | None = None,
    sort: str = "-id",
    limit: int = 50,
    after: str | None = None,
) -> Page:
    """One page of the customer links of a request (all its visits) or of one visit."""
    query = _links(session, actor)
    if visit_id is not None:
        get_visit(session, visit_id, actor=actor)
        query = query.where(CustomerLink.visit_id == visit_id)
    else:
        get_request(session, request_id, actor=actor)
        query = query.where(Visit.request_id == request_id)
    page = paginate(session, query, sorts=LINK_SORTS, sort=sort, limit=limit, after=after)
    now = utcnow()
    items = [_view(config, link, now) for link in page.items]
    return Page(items=items, limit=page.limit, sort=page.sort, next_cursor=page.next_cursor)


def _view(config: Config, link: CustomerLink, now) -> LinkView:
    live = link.live(now)
    url = page_url(config.public_base_url, token_of(config.secret_key, link)) if live else None
    return LinkView(link=link, live=live, url=url)


def resend(*, session: Session, actor: Actor, config: Config, link_id: int) -> dict:
    """Send a live link to its customer again by SMS (audited; idempotent by its key)."""
    link = session.get(CustomerLink, link_id)
    if link is None:
        raise NotFound(f"Link {link_id} not found")
    visit = link.visit
    ensure_region(actor, access.region_of_request(visit.request), what=f"Link {link_id}")
    if not link.live(utcnow()):
        raise Conflict(
            "This link no longer works (withdrawn or expired); it cannot be sent again",
            error_code="link_not_live",
            details={"link_id": [link_id]},
        )
    sent: dict = {}  # the audit row's after side: which SMS took the link (never the token)
    with audited(session, actor, link, "link.resent", extra=sent):
        message = queue_sms(
            session,
            customer=visit.request.customer,
            template="link_resent",
            visit_id=visit.id,
            number=visit.number,
            link=page_url(config.public_base_url, token_of(config.secret_key, link)),
        )
        sent["sms_id"] = message.id
    return {"link_id": link.id, "sms_id": message.id, "status": message.status}
