"""Use cases of intake: register a request, read it, close the job."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit, numbering
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.complaints import first_response
from dispatch.customers.models import Asset, Site
from dispatch.customers.service import check_belongs, get_customer
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake import contact_log, rules
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
    customer = get_customer(session, data["customer_id"])
    site_id, asset_id = data.get("site_id"), data.get("asset_id")
    if rules.creates_job(data["request_type"]) and site_id is None:
        raise RuleViolation(
            "A field job needs a service address",
            error_code="site_required",
            details={"site_id": ["required for this request type"]},
        )
    check_belongs(session, Site, site_id, customer.id, "site_id")
    check_belongs(session, Asset, asset_id, customer.id, "asset_id")
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


def get_request(session: Session, request_id: int, *, actor: Actor | None = None) -> ServiceRequest:
    """Load a request or raise NotFound; with an actor, only one of the actor's regions."""
    request = session.get(ServiceRequest, request_id)
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    if actor is not None and request.site is not None and request.site.region_id is not None:
        access.ensure_region(actor, request.site.region_id, what=f"Request {request_id}")
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
