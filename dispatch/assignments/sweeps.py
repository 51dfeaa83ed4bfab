"""DSP-5 due rows: push each new assignment, alert the dispatchers of a silent one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.alerts import service as alerts
from dispatch.assignments.models import JobAssignment
from dispatch.assignments.push import push_gateway_for
from dispatch.assignments.rules import AssignmentStatus, push_text
from dispatch.config import Config
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus
from dispatch.visits.service import timezone_of

AWAITING = AssignmentStatus.AWAITING_ACCEPTANCE


def unpushed(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Assignments still waiting whose push has not gone out."""
    return list(
        session.scalars(
            select(JobAssignment.id)
            .where(JobAssignment.status == AWAITING, JobAssignment.pushed_at.is_(None))
            .order_by(JobAssignment.id)
            .limit(200)
        )
    )


def push(session: Session, *, config: Config, item_id: int, now: datetime) -> None:
    row = session.get(JobAssignment, item_id, with_for_update=True)
    if row is None or row.pushed_at is not None or row.status != AWAITING:
        return
    visit = session.get(Visit, row.visit_id)
    zone = ZoneInfo(timezone_of(visit, config))
    window = visit.window_start.astimezone(zone).strftime("%m-%d %H:%M")
    title, body = push_text(visit.number, window)
    ref = push_gateway_for(config).send(
        row.technician_id, title, body, client_ref=f"assignment-{row.id}"
    )
    row.mark_pushed(ref, now)


def unaccepted(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Assignments past their acceptance time with no alert yet (DSP-5); a technician who
    already set off on the visit has plainly taken the job."""
    return list(
        session.scalars(
            select(JobAssignment.id)
            .join(Visit, Visit.id == JobAssignment.visit_id)
            .where(
                JobAssignment.status == AWAITING,
                JobAssignment.alerted_at.is_(None),
                JobAssignment.accept_due_at <= now,
                Visit.status == VisitStatus.SCHEDULED,
            )
            .order_by(JobAssignment.accept_due_at)
            .limit(200)
        )
    )


def alert_unaccepted(session: Session, *, config: Config, item_id: int, now: datetime) -> None:
    row = session.get(JobAssignment, item_id, with_for_update=True)
    if row is None or row.alerted_at is not None or row.status != AWAITING:
        return
    visit = session.get(Visit, row.visit_id)
    if not visit.waiting:
        return
    region_id = access.region_of_request(visit.request)
    message = (
        f"Job {visit.number} not accepted (接单) by technician {row.technician_id} "
        f"{config.acceptance_minutes} min after assignment"
    )
    users = alerts.users_with_role(session, "dispatcher", region_id)
    if row.assigned_by_id is not None:
        users = [row.assigned_by_id, *users]
    alerts.alert(session, users, kind="assignment_not_accepted", message=message)
    row.mark_alerted(now)


def simple_checks_due(session: Session, *, config: Config, now: datetime) -> list[int]:
    """DSP-10: simple jobs 1 h after dispatch, not completed, with no check task yet."""
    return list(
        session.scalars(
            select(JobAssignment.id)
            .join(Visit, Visit.id == JobAssignment.visit_id)
            .where(
                JobAssignment.status != AssignmentStatus.SUPERSEDED,
                JobAssignment.check_raised_at.is_(None),
                JobAssignment.check_due_at <= now,
                Visit.completed_at.is_(None),
            )
            .order_by(JobAssignment.check_due_at)
            .limit(200)
        )
    )


def raise_simple_check(session: Session, *, config: Config, item_id: int, now: datetime) -> None:
    row = session.get(JobAssignment, item_id, with_for_update=True)
    if row is None or row.check_raised_at is not None or not row.open:
        return
    visit = session.get(Visit, row.visit_id)
    if visit.completed_at is None:
        message = f"Check job {visit.number}: marked simple, not completed 1 h after dispatch"
        region_id = access.region_of_request(visit.request)
        users = alerts.users_with_role(session, "dispatcher", region_id)
        alerts.alert(session, users, kind="simple_job_check", message=message)
    row.mark_check_raised(now)


def emergency_arrivals_late(session: Session, *, config: Config, now: datetime) -> list[int]:
    """DSP-11: dispatched under the region's emergency SLA and not checked in by its due time."""
    return list(
        session.scalars(
            select(JobAssignment.id)
            .join(Visit, Visit.id == JobAssignment.visit_id)
            .where(
                JobAssignment.status != AssignmentStatus.SUPERSEDED,
                JobAssignment.arrival_breached_at.is_(None),
                JobAssignment.arrival_due_at <= now,
                Visit.arrived_at.is_(None),
            )
            .order_by(JobAssignment.arrival_due_at)
            .limit(200)
        )
    )


def breach_emergency_arrival(
    session: Session, *, config: Config, item_id: int, now: datetime
) -> None:
    row = session.get(JobAssignment, item_id, with_for_update=True)
    if row is None or row.arrival_breached_at is not None or not row.open:
        return
    visit = session.get(Visit, row.visit_id)
    if visit.arrived_at is not None:
        return
    message = f"Job {visit.number}: emergency arrival SLA missed (no check-in yet)"
    users = alerts.users_with_role(session, "dispatcher", access.region_of_request(visit.request))
    alerts.alert(session, users, kind="emergency_arrival_late", message=message)
    row.mark_arrival_breached(now)
