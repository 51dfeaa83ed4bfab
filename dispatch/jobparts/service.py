"""Record the parts a job needs and move each through needed, ordered, ready, used (VCH-16)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.access import ensure_region
from dispatch.actors import Actor
from dispatch.audit import add_created, audited
from dispatch.clock import utcnow
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.jobparts.models import JobPart
from dispatch.jobparts.rules import JobPartStatus
from dispatch.parts.models import Part


def _request(session: Session, actor: Actor, request_id: int) -> ServiceRequest:
    request = session.get(ServiceRequest, request_id)
    if request is None:
        raise NotFound(f"Request {request_id} not found")
    if actor.is_technician:
        assigned = {v.technician_id for v in request.visits}
        if actor.technician_id not in assigned:
            raise NotFound(f"Request {request_id} not found")
    else:
        ensure_region(actor, access.region_of_request(request), what="Request")
    return request


def add(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    part_code: str,
    quantity: int,
    note: str | None = None,
) -> JobPart:
    """Record a part the job needs (status needed)."""
    request = _request(session, actor, request_id)
    part = session.scalars(select(Part).where(Part.code == part_code, Part.active)).first()
    if part is None:
        raise RuleViolation(
            "Unknown or inactive part code",
            error_code="unknown_part",
            details={"part_code": [part_code]},
        )
    line = JobPart(
        request_id=request.id,
        part_code=part.code,
        quantity=quantity,
        note=note,
        recorded_by_id=actor.id,
        needed_at=utcnow(),
    )
    return add_created(
        session,
        actor=actor,
        obj=line,
        action="job_part.needed",
        entity=JobPart.audit_entity,
        after=line.snapshot() | {"request_id": request.id},
    )


def move(*, session: Session, actor: Actor, job_part_id: int, status: str) -> JobPart:
    """Move a part line on: ordered, ready, used (or cancelled)."""
    line = session.get(JobPart, job_part_id, with_for_update=True)
    if line is None:
        raise NotFound(f"Job part {job_part_id} not found")
    _request(session, actor, line.request_id)
    with audited(session, actor, line, f"job_part.{status}"):
        line.move(JobPartStatus(status), utcnow())
    return line


def for_request(*, session: Session, actor: Actor, request_id: int) -> list[JobPart]:
    request = _request(session, actor, request_id)
    return list(
        session.scalars(
            select(JobPart).where(JobPart.request_id == request.id).order_by(JobPart.id)
        )
    )
