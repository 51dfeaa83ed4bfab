"""Record assignments as the schedule changes, accept them, push them, alert on silence.

Every path that puts a visit on a technician's day (booking, an accepted plan, a dispatcher's
override or pin) calls `record` afterwards; it compares the visit's technician with the open
assignment and writes a new row only when the responsible technician changed (DSP-4: one
responsible technician at a time, earlier rows kept as history).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.assignments.models import JobAssignment
from dispatch.assignments.rules import (
    AssignmentStatus,
    acceptance_due,
    arrival_due,
    simple_check_due,
)
from dispatch.audit import audited
from dispatch.audit import record as audit_record
from dispatch.clock import utcnow
from dispatch.config import active_config
from dispatch.errors import NotFound
from dispatch.serviceplans import service as service_plans
from dispatch.visits.models import Visit


def open_assignment(session: Session, visit_id: int) -> JobAssignment | None:
    """Return the visit's current (not superseded) assignment, if any."""
    return session.scalars(
        select(JobAssignment)
        .where(
            JobAssignment.visit_id == visit_id,
            JobAssignment.status != AssignmentStatus.SUPERSEDED,
        )
        .order_by(JobAssignment.id.desc())
        .limit(1)
    ).one_or_none()


def history(session: Session, visit_id: int) -> list[JobAssignment]:
    """Return every assignment of a visit, oldest first."""
    return list(
        session.scalars(
            select(JobAssignment)
            .where(JobAssignment.visit_id == visit_id)
            .order_by(JobAssignment.id)
        )
    )


def record(
    session: Session,
    *,
    actor: Actor,
    visit: Visit,
    source: str,
    reason: str | None,
    first: bool = False,
) -> JobAssignment | None:
    """Write the assignment the visit's technician now stands for; None when nothing changed.

    `first`: the visit was made in this transaction, so there is no assignment to look up.
    """
    current = None if first else open_assignment(session, visit.id)
    if current is not None and current.technician_id == visit.technician_id:
        return None
    now = utcnow()
    if current is not None:
        with audited(session, actor, current, "assignment.superseded"):
            current.supersede(at=now)
    if visit.technician_id is None:
        return None
    service_plans.ensure_dispatchable(session, visit.request_id)  # INT-12: 同意方案 first
    from dispatch.locationmodes.service import check_may_dispatch

    check_may_dispatch(session, visit)  # VCH-17: only the appointments the job's mode takes
    row = JobAssignment(
        visit_id=visit.id,
        technician_id=visit.technician_id,
        assigned_by_id=actor.id if actor.kind == "user" else None,
        source=source,
        reason=reason,
        assigned_at=now,
        accept_due_at=acceptance_due(now, active_config().acceptance_minutes),
        check_due_at=simple_check_due(now, visit.simple),
        arrival_due_at=arrival_due(now, _emergency_minutes(visit)),
    )
    after = row.snapshot() | {"visit_id": visit.id}
    session.add(row)
    _issue_voucher(session, actor, visit, now)  # its flush gives the assignment its id too
    if row.id is None:  # the visit already had its voucher: nothing was flushed
        session.flush()
    audit_record(
        session,
        actor=actor,
        action="assignment.created",
        entity=JobAssignment.audit_entity,
        entity_id=row.id,
        after=after,
    )
    return row


def _issue_voucher(session: Session, actor: Actor, visit: Visit, at: datetime) -> None:
    """Dispatching the job issues its service voucher (VCH-1)."""
    from dispatch.visits.service import timezone_of
    from dispatch.vouchers import service as vouchers

    tz = timezone_of(visit, active_config())
    vouchers.issue_at_dispatch(session, actor=actor, visit=visit, tz=tz, at=at)


def accept(
    *, session: Session, actor: Actor, visit_id: int, device_time: datetime | None = None
) -> JobAssignment:
    """The technician accepts (接单) the visit assigned to them (a repeat changes nothing)."""
    from dispatch.visits.service import get_for_technician

    visit = get_for_technician(session, actor, visit_id)
    current = open_assignment(session, visit.id)
    if current is None or current.technician_id != actor.technician_id:
        raise NotFound("No assignment of this visit awaits your acceptance")
    if current.status == AssignmentStatus.ACCEPTED:
        return current
    with audited(session, actor, current, "assignment.accepted", device_time=device_time):
        current.accept(at=utcnow(), device_at=device_time)
    visit.touch()
    return current


def visit_history(*, session: Session, actor: Actor, visit_id: int) -> list[JobAssignment]:
    """A dispatcher reads a visit's assignments (404 outside the actor's regions)."""
    from dispatch.visits.service import get_visit

    visit = get_visit(session, visit_id, actor=actor)
    return history(session, visit.id)


def _emergency_minutes(visit: Visit) -> int | None:
    site = visit.request.site
    return site.region.emergency_arrival_minutes if site and site.region else None


def mark_simple(*, session: Session, actor: Actor, visit_id: int, simple: bool) -> Visit:
    """Mark a job simple (or not): its dispatcher gets a check task 1 h after dispatch (DSP-10)."""
    from dispatch.visits.service import get_visit

    visit = get_visit(session, visit_id, actor=actor)
    with audited(session, actor, visit, "visit.marked_simple", extra={"simple": simple}):
        visit.mark_simple(simple)
        current = open_assignment(session, visit.id)
        if current is not None and current.check_raised_at is None:
            current.plan_check(simple_check_due(current.assigned_at, simple))
    return visit
