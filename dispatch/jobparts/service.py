"""Record the parts a job needs and move each through needed, ordered, ready, used (VCH-16).

A job's parts are seen by whoever may see its request (`intake.service.get_request`): its site's
region, or for a request without a site its customer's (dispatch.access)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import add_created, audited
from dispatch.clock import utcnow
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.service import get_request
from dispatch.jobparts.models import JobPart
from dispatch.jobparts.rules import JobPartStatus
from dispatch.parts.models import Part


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
    request = get_request(session, request_id, actor=actor)
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
    get_request(session, line.request_id, actor=actor)
    with audited(session, actor, line, f"job_part.{status}"):
        line.move(JobPartStatus(status), utcnow())
    return line


def for_request(*, session: Session, actor: Actor, request_id: int) -> list[JobPart]:
    """List the job's part lines, oldest first."""
    request = get_request(session, request_id, actor=actor)
    return list(
        session.scalars(
            select(JobPart).where(JobPart.request_id == request.id).order_by(JobPart.id)
        )
    )
