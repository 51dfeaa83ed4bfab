"""The SLA report (RPT-1): each timed promise of the service, how often it was broken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES
from dispatch.reports.rules import SlaLine, breached, summarise
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

BOOKING_DEADLINE = timedelta(hours=24)  # H6 / APT-1


def report(session: Session, *, actor: Actor, start: datetime, end: datetime) -> list[SlaLine]:
    """Return one line per promise whose due time falls in [start, end), in the actor's
    regions."""
    now = utcnow()
    mine = access.site_clause(actor, ServiceRequest.site_id)
    return [
        _followups(session, start, end, now, mine),
        _booking(session, start, end, now, mine),
        _arrival(session, start, end, now, mine),
        *_complaint_clocks(session, start, end, now, actor),
    ]


def _followups(session, start, end, now, mine) -> SlaLine:
    rows = session.scalars(
        select(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(FollowUp.deadline_at >= start, FollowUp.deadline_at < end, mine)
    )
    return summarise(
        "followup_24h",
        [True if f.overdue_at else breached(f.deadline_at, f.sent_at, now) for f in rows],
    )


def _booking(session, start, end, now, mine) -> SlaLine:
    # The first visit booked for the request (a row of its own, not the audit trail).
    booked_at = (
        select(Visit.request_id, func.min(Visit.created_at).label("at"))
        .group_by(Visit.request_id)
        .subquery()
    )
    rows = session.execute(
        select(ServiceRequest.registered_at, booked_at.c.at)
        .outerjoin(booked_at, booked_at.c.request_id == ServiceRequest.id)
        .where(
            ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
            ServiceRequest.registered_at >= start - BOOKING_DEADLINE,
            ServiceRequest.registered_at < end - BOOKING_DEADLINE,
            mine,
        )
    )
    return summarise(
        "booking_1_day",
        [breached(registered + BOOKING_DEADLINE, _aware(at), now) for registered, at in rows],
    )


def _arrival(session, start, end, now, mine) -> SlaLine:
    rows = session.scalars(
        select(Visit)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(
            Visit.window_end >= start,
            Visit.window_end < end,
            Visit.status != VisitStatus.CANCELLED,
            mine,
        )
    )
    return summarise("on_time_arrival", [breached(v.window_end, v.arrived_at, now) for v in rows])


def _complaint_clocks(session, start, end, now, actor) -> list[SlaLine]:
    rows = session.scalars(
        select(ComplaintClock)
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(
            ComplaintClock.due_at >= start,
            ComplaintClock.due_at < end,
            access.region_clause(actor, Complaint.region_id),
        )
    )
    by_name: dict[str, list] = {}
    for clock in rows:
        outcome = True if clock.breached_at else breached(clock.due_at, clock.met_at, now)
        by_name.setdefault(f"complaint_{clock.name}", []).append(outcome)
    return [summarise(name, outcomes) for name, outcomes in sorted(by_name.items())]


def _aware(moment):
    # Aggregates bypass the column type on SQLite and come back naive; they are UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
