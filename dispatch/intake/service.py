"""Use cases of intake: register a request, read it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dispatch import audit, numbering
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.customers.models import Asset, Site
from dispatch.customers.service import check_belongs, get_customer
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake import rules
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.service import queue_sms


def register_request(*, session: Session, actor: Actor, timezone: str, **data) -> ServiceRequest:
    """Register a request now, stamped by the server and owned by whoever took it (INT-3)."""
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
        entity="service_request",
        after={"number": request.number, "status": request.status},
    )
    if rules.creates_job(request.request_type):  # acceptance notice (受理通知)
        queue_sms(session, customer=customer, template="request_received", number=request.number)
    return request


def get_request(session: Session, request_id: int) -> ServiceRequest:
    """Load a request or raise NotFound."""
    request = session.get(ServiceRequest, request_id)
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    return request


def set_status(session: Session, actor: Actor, request: ServiceRequest, status: str) -> None:
    """Move the request to a new status, audited."""
    if request.status == status:
        return
    before = request.status
    request.status = status
    audit.record(
        session,
        actor=actor,
        action=f"request.{status}",
        entity="service_request",
        entity_id=request.id,
        before={"status": before},
        after={"status": status},
    )
