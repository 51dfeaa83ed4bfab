"""The intake queue of web-form requests (INT-15): staff list them and register each as a
service request with channel `web_form`, owned by the agent who took it (首问负责)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.clock import utcnow
from dispatch.customers import service as customers
from dispatch.customers.geocoding import Geocoder
from dispatch.customers.models import Customer
from dispatch.errors import Conflict, NotFound
from dispatch.intake import service as intake
from dispatch.intake.models import ServiceRequest
from dispatch.webform import rules
from dispatch.webform.models import WebRequest

W = WebRequest
QUEUE_SORTS = {
    "submitted_at": order((W.submitted_at, False), (W.id, False)),
    "-submitted_at": order((W.submitted_at, True), (W.id, True)),
}


def list_queue(
    session: Session, actor: Actor, *, sort: str, limit: int, after: str | None, status: str
) -> Page:
    """One page of the web-form requests of the actor's regions, oldest first by default.

    A request whose address no region contains is seen by head-office roles only.
    """
    query = select(W).where(W.status == status, access.region_clause(actor, W.region_id))
    return paginate(session, query, sorts=QUEUE_SORTS, sort=sort, limit=limit, after=after)


def get_web_request(session: Session, web_request_id: int, *, actor: Actor) -> WebRequest:
    """Load a web-form request of the actor's regions, or raise NotFound."""
    web_request = session.get(WebRequest, web_request_id)
    if web_request is None:
        raise NotFound(f"Web request {web_request_id} not found")
    access.ensure_region(actor, web_request.region_id, what=f"Web request {web_request_id}")
    return web_request


def register(
    *,
    session: Session,
    actor: Actor,
    config,
    geocoder: Geocoder,
    web_request_id: int,
    request_type: str,
    service_class: str,
    priority: str = "medium",
) -> ServiceRequest:
    """Make the web-form request a service request: its customer (found by phone, else new with
    the consent given on the form, PRV-1), its address as a site, and the request itself."""
    web_request = get_web_request(session, web_request_id, actor=actor)
    session.refresh(web_request, with_for_update=True)
    if not web_request.waiting:
        raise Conflict(
            f"Web request {web_request.id} is {web_request.status}",
            error_code="web_request_done",
            details={"request_id": web_request.request_id},
        )
    customer = _customer(session, actor, config, web_request)
    site = customers.add_site(
        session=session,
        actor=actor,
        geocoder=geocoder,
        customer_id=customer.id,
        address=web_request.address,
        lat=web_request.lat,
        lon=web_request.lon,
    )
    request = intake.register_request(
        session=session,
        actor=actor,
        timezone=config.default_timezone,
        config=config,
        customer_id=customer.id,
        site_id=site.id,
        request_type=request_type,
        channel=rules.REQUEST_CHANNEL,
        category=web_request.category,
        service_class=service_class,
        priority=priority,
        product_model=web_request.product_model,
        fault_description=web_request.fault_description,
        expected_outcome=web_request.preferred_time
        and f"Preferred time: {web_request.preferred_time}",
        reported_at=web_request.submitted_at,
    )
    with audit.audited(session, actor, web_request, "web_request.registered"):
        web_request.register(request_id=request.id, by_user_id=actor.id, at=utcnow())
    return request


def _customer(session: Session, actor: Actor, config, web_request: WebRequest) -> Customer:
    """The customer of the phone the actor may see (main or further phone, as the desk finds
    them), or a new one with the form's consent."""
    known = customers.find_by_phone(
        session=session,
        actor=actor,
        phone=web_request.phone,
        phone_region=config.default_phone_region,
    )
    if known:
        return known[0]
    return customers.create_customer(
        session=session,
        actor=actor,
        phone_region=config.default_phone_region,
        name=web_request.name,
        phone=web_request.phone,
        language=web_request.language,
        consent={
            "channel": rules.CONSENT_CHANNEL,
            "notice_version": web_request.consent_notice_version,
        },
    )
