"""DSP-13: a dispatcher with no suitable technician hands a job to another region or department;
the handover and its reason are logged, the receivers are alerted, and the sender keeps sight."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.access import region_clause
from dispatch.actors import Actor
from dispatch.alerts import service as alerts
from dispatch.assignments.models import JobTransfer
from dispatch.clock import utcnow
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region


def hand_over(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    reason: str,
    to_region_id: int | None = None,
    to_department: str | None = None,
) -> JobTransfer:
    """Hand the job to another region (its dispatchers are alerted) or a department."""
    request = session.get(ServiceRequest, request_id)
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    access.ensure_request(actor, request)  # its region's, or a region it was handed to
    from_region_id = _sending_region(session, actor, request)
    if (to_region_id is None) == (to_department is None):
        raise RuleViolation(
            "Name either a region or a department",
            error_code="transfer_target",
            details={"to_region_id": ["one of to_region_id, to_department"]},
        )
    if to_region_id is not None and (
        session.get(Region, to_region_id) is None or to_region_id == from_region_id
    ):
        raise RuleViolation(
            "Unknown region, or the job's own",
            error_code="transfer_target",
            details={"to_region_id": ["unknown or the same region"]},
        )
    row = JobTransfer(
        request_id=request.id,
        from_region_id=from_region_id,
        to_region_id=to_region_id,
        to_department=to_department,
        reason=reason,
        by_id=actor.id,
        at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="request.transferred",
        entity="request",
        entity_id=request.id,
        after={"to_region_id": to_region_id, "to_department": to_department, "reason": reason},
    )
    target = f"region {to_region_id}" if to_region_id else f"department {to_department}"
    message = f"Job {request.number} handed to {target}: {reason}"
    if to_region_id is not None:
        alerts.alert_role(
            session, "dispatcher", to_region_id, kind="job_transferred", message=message
        )
    return row


def _sending_region(session: Session, actor: Actor, request: ServiceRequest) -> int | None:
    """The region the actor hands the job from: its site's if theirs, else the last region of
    theirs it was handed to (DSP-13)."""
    site_region = access.region_of_request(request)
    if access.may_see_region(actor, site_region):
        return site_region
    return session.scalar(
        select(JobTransfer.to_region_id)
        .where(
            JobTransfer.request_id == request.id,
            region_clause(actor, JobTransfer.to_region_id),
            JobTransfer.to_region_id.is_not(None),
        )
        .order_by(JobTransfer.id.desc())
        .limit(1)
    )


def transfers(*, session: Session, actor: Actor) -> list[JobTransfer]:
    """The handovers sent from or to the actor's regions (the sender keeps sight, DSP-13)."""
    seen = or_(
        region_clause(actor, JobTransfer.from_region_id),
        region_clause(actor, JobTransfer.to_region_id),
    )
    query = select(JobTransfer).where(seen).order_by(JobTransfer.id.desc()).limit(200)
    return list(session.scalars(query))
