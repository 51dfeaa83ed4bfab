"""VCH-5: the technician submits diagnosis and proposed solution; a supervisor approves them
before they go to the customer, and approval sends them at once (so on the day of approval)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.assessments.models import Assessment
from dispatch.audit import add_created, audited
from dispatch.clock import utcnow
from dispatch.errors import NotFound, PermissionDenied
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit
from dispatch.visits.service import get_for_technician, get_visit


def submit(
    *, session: Session, actor: Actor, visit_id: int, diagnosis: str, proposed_solution: str
) -> Assessment:
    """The technician submits (or, after a rejection, resubmits) the assessment."""
    visit = get_for_technician(session, actor, visit_id)
    now = utcnow()
    current = session.scalars(
        select(Assessment).where(Assessment.visit_id == visit.id)
    ).one_or_none()
    if current is None:
        row = Assessment(
            visit_id=visit.id,
            diagnosis=diagnosis,
            proposed_solution=proposed_solution,
            submitted_by_id=actor.id,
            submitted_at=now,
        )
        return add_created(
            session,
            actor=actor,
            obj=row,
            action="assessment.submitted",
            entity=Assessment.audit_entity,
            after=row.snapshot() | {"visit_id": visit.id},
        )
    with audited(session, actor, current, "assessment.resubmitted"):
        current.resubmit(diagnosis=diagnosis, solution=proposed_solution, by_id=actor.id, at=now)
    return current


def get(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    """Load an assessment whose visit the actor may see (`get_visit`) or raise NotFound."""
    row = session.get(Assessment, assessment_id)
    if row is None:
        raise NotFound(f"Assessment {assessment_id} not found")
    try:
        get_visit(session, row.visit_id, actor=actor)
    except NotFound:
        raise NotFound(f"Assessment {assessment_id} not found") from None
    return row


def decide(
    *,
    session: Session,
    actor: Actor,
    assessment_id: int,
    approve: bool,
    note: str | None = None,
) -> Assessment:
    """A supervisor approves (and so sends) or rejects an assessment; never their own."""
    row = get(session, actor, assessment_id)
    if row.submitted_by_id == actor.id:
        raise PermissionDenied("Nobody approves their own assessment")
    now = utcnow()
    with audited(session, actor, row, "assessment.approved" if approve else "assessment.rejected"):
        row.decide(approve=approve, by_id=actor.id, note=note, at=now)
    if approve:
        visit = session.get(Visit, row.visit_id)
        queue_sms(
            session,
            customer=visit.request.customer,
            template="assessment_result",
            visit_id=visit.id,
            number=visit.request.number,
            diagnosis=row.diagnosis[:200],
            solution=row.proposed_solution[:200],
        )
        row.mark_sent(now)
    return row
