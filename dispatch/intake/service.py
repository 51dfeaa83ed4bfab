"""Use cases of intake: register a request, read it, close the job."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from dispatch import access, audit, numbering
from dispatch.actors import Actor
from dispatch.api.listing import Page, contains, order, paginate, starts_with
from dispatch.clock import utcnow
from dispatch.complaints import first_response
from dispatch.customers.models import Asset, Site
from dispatch.customers.service import check_belongs, get_customer
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake import clocks, contact_log, rules
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus


def register_request(
    *, session: Session, actor: Actor, timezone: str, config=None, **data
) -> ServiceRequest:
    """Register a request now, stamped by the server and owned by whoever took it (INT-3).

    With the config, a request no other clock covers gets its 24-hour first response (CMP-7).
    """
    customer = get_customer(session, data["customer_id"], actor=actor)
    site_id, asset_id = data.get("site_id"), data.get("asset_id")
    if rules.creates_job(data["request_type"]) and site_id is None:
        raise RuleViolation(
            "A field job needs a service address",
            error_code="site_required",
            details={"site_id": ["required for this request type"]},
        )
    check_belongs(session, Site, site_id, customer.id, "site_id")
    check_belongs(session, Asset, asset_id, customer.id, "asset_id")
    if site_id is not None:
        site = session.get(Site, site_id)
        access.ensure_region(actor, site.region_id, what=f"Site {site_id}")
    now = utcnow()
    request = ServiceRequest(
        number=numbering.next_number(session, "SR", now, timezone),
        registered_at=now,
        registrar_id=actor.id,
        first_owner_id=actor.id,
        owner_id=actor.id,
        **data,
    )
    audit.add_created(
        session,
        actor=actor,
        obj=request,
        action="request.registered",
        entity=request.audit_entity,
        after={"number": request.number} | request.snapshot(),
    )
    clocks.start(session, request, timezone=timezone)  # APT-1 and APT-12, region calendar
    if rules.creates_job(request.request_type):  # acceptance notice (受理通知)
        sms = queue_sms(
            session, customer=customer, template="request_received", number=request.number
        )
        contact_log.log_sms(session, request, sms, actor.id)
    if config is not None:
        first_response.start(session, config, request)
    return request


def raise_new_need(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    timezone: str,
    config=None,
    fault_description: str,
    request_type: str | None = None,
    channel: str = "phone",
) -> ServiceRequest:
    """Open a new request linked to a closed one for a need raised after closure (INT-17).

    The closed request is left exactly as it was; the new one copies its customer, address,
    product and class.
    """
    original = get_request(session, request_id, actor=actor)
    if original.status not in rules.CLOSED_STATES:
        raise Conflict(
            f"Request {original.number} is {original.status}; handle the need on it",
            error_code="request_still_open",
        )
    return register_request(
        session=session,
        actor=actor,
        timezone=timezone,
        config=config,
        customer_id=original.customer_id,
        site_id=original.site_id,
        asset_id=original.asset_id,
        request_type=request_type or original.request_type,
        channel=channel,
        category=original.category,
        service_class=original.service_class,
        priority=original.priority,
        product_model=original.product_model,
        fault_description=fault_description,
        follows_request_id=original.id,
    )


def get_request(session: Session, request_id: int, *, actor: Actor) -> ServiceRequest:
    """Load a request the actor may see (its site's region) or raise NotFound.

    Its site, the site's region and its customer come in the same query: the permission check
    reads the site, and booking, slot search and messages the rest.
    """
    request = session.get(
        ServiceRequest,
        request_id,
        options=(
            joinedload(ServiceRequest.site).joinedload(Site.region),
            joinedload(ServiceRequest.customer),
        ),
    )
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    access.ensure_request(actor, request)
    return request


def close_request(*, session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    """Close a completed job: its voucher archived and the fix confirmed by the customer (VCH-11).

    The customer confirms through the follow-up ("problem solved") of the visit that completed.
    """
    request = session.scalars(
        select(ServiceRequest).where(ServiceRequest.id == request_id).with_for_update()
    ).one_or_none()
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    access.ensure_request(actor, request)
    from dispatch.locationmodes.service import check_may_close

    check_may_close(session, request)  # VCH-17: the appointments its location mode needs
    visit = _completed_visit(session, request)
    voucher = visit.voucher if visit else None
    followup = visit.followup if visit else None
    with audit.audited(session, actor, request, "request.closed"):
        request.close(
            voucher_archived=voucher is not None and voucher.is_archived,
            customer_confirmed=followup is not None and followup.confirms_fix,
            by_user_id=actor.id,
            at=utcnow(),
        )
    return request


def _completed_visit(session: Session, request: ServiceRequest):
    """Return the request's latest completed visit, or None."""
    return session.scalars(
        select(Visit)
        .where(Visit.request_id == request.id, Visit.status == VisitStatus.COMPLETED)
        .order_by(Visit.completed_at.desc(), Visit.id.desc())
        .limit(1)
    ).one_or_none()


R = ServiceRequest
REQUEST_SORTS = {
    "-registered_at": order((R.registered_at, True), (R.id, True)),
    "registered_at": order((R.registered_at, False), (R.id, False)),
    "-id": order((R.id, True)),
    "id": order((R.id, False)),
}


def list_requests(
    session: Session,
    actor: Actor,
    *,
    sort: str,
    limit: int,
    after: str | None,
    status: str | None = None,
    region_id: int | None = None,
    request_type: str | None = None,
    channel: str | None = None,
    customer_id: int | None = None,
    q: str | None = None,
) -> Page:
    """One page of the requests the actor may see (issue 12), filtered; `q` matches the number's
    start, the fault description or the product model. A request's region is its site's."""
    query = (
        select(R)
        .outerjoin(Site, Site.id == R.site_id)
        .where(
            or_(  # as ensure_request: by the site's region, a request with no site by its customer
                and_(R.site_id.is_not(None), access.region_clause(actor, Site.region_id)),
                and_(R.site_id.is_(None), access.customer_clause(actor, R.customer_id)),
                access.transferred_clause(actor, R.id),  # handed to the actor's region (DSP-13)
            )
        )
        .options(selectinload(R.site), selectinload(R.assessment), selectinload(R.clock))
    )
    if status:
        query = query.where(R.status == status)
    if region_id is not None:
        query = query.where(Site.region_id == region_id)
    if request_type:
        query = query.where(R.request_type == request_type)
    if channel:
        query = query.where(R.channel == channel)
    if customer_id is not None:
        query = query.where(R.customer_id == customer_id)
    if q:
        query = query.where(
            or_(
                starts_with(R.number, q),
                contains(R.fault_description, q),
                contains(R.product_model, q),
            )
        )
    return paginate(session, query, sorts=REQUEST_SORTS, sort=sort, limit=limit, after=after)
