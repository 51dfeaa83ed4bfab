"""Jobs waiting for a visit (new, reopened or on hold): carry them over at day end, list them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import SYSTEM, Actor
from dispatch.backlog import rules
from dispatch.config import Config
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import AWAITING_BOOKING, JOB_REQUEST_TYPES
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus
from dispatch.visits.service import timezone_of


def _waiting():
    return select(ServiceRequest).where(
        ServiceRequest.status.in_(AWAITING_BOOKING),
        ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
        ~ServiceRequest.visits.any(Visit.status == VisitStatus.PAUSED),  # technician still there
    )


def _cutoff(request: ServiceRequest, config: Config, now: datetime) -> datetime:
    return rules.last_day_end(now, timezone_of(request, config), config.working_day_end)


def carry_over_candidates(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return jobs waiting since before their region's last day end and still undispatched."""
    waiting = session.scalars(_waiting().where(ServiceRequest.carried_over_at.is_(None)))
    return [r.id for r in waiting if r.waiting_since < _cutoff(r, config, now)]


def carry_over(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Mark one undispatched request as carried over for priority dispatch (DSP-8, H5)."""
    request = session.scalars(
        _waiting().where(ServiceRequest.id == item_id).with_for_update()
    ).one_or_none()
    if request is None or request.carried_over_at is not None:
        return "skipped"
    request.carried_over_at = _cutoff(request, config, now)
    audit.record(
        session,
        actor=SYSTEM,
        action="request.carried_over",
        entity="service_request",
        entity_id=request.id,
        after={"carried_over_at": request.carried_over_at.isoformat()},
    )
    return "carried_over"


def queue(session: Session, *, actor: Actor) -> list[ServiceRequest]:
    """Return the requests waiting for dispatch in the acting user's regions, in order."""
    waiting = list(
        session.scalars(
            _waiting().where(
                or_(
                    access.site_clause(actor, ServiceRequest.site_id),
                    access.transferred_clause(actor, ServiceRequest.id),  # handed to us (DSP-13)
                )
            )
        )
    )
    return sorted(
        waiting,
        key=lambda r: rules.queue_key(
            r.carried_over_at, r.priority, r.customer.tier == "vip", r.registered_at
        ),
    )
