"""The SLA report (RPT-1): each timed promise of the service, how often it was broken.

One SQL statement: a line per promise (a UNION ALL of aggregates), scoped to the actor's regions.
Acceptance within 15 min (DSP-5) has no record yet (no acceptance step exists), so it has no line.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from dispatch.assignments.models import JobAssignment
from dispatch.booking.models import Appointment
from dispatch.clock import utcnow
from dispatch.complaints.first_response import RequestFirstResponse
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.customers.models import Site
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES
from dispatch.regions.models import Region
from dispatch.reports.query import Scope, count_if, seconds_between
from dispatch.reports.rules import SlaLine
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

BOOKING_DEADLINE = timedelta(hours=24)  # H6 / APT-1
ANSWER_DEADLINE = timedelta(hours=72)  # H8 / APT-12
BREAKDOWNS = ("total", "region")
COLUMNS = ("metric", "total", "breached", "open", "rate", "key")
CSV_HEADER = ("metric", "total", "breached", "open", "breach_rate_percent", "key")


def _fixed(metric, due, done, now, *, broken=None):
    """Aggregate promises with a stored due time: late if done after it or not done by now."""
    late = or_(and_(done.is_not(None), done > due), and_(done.is_(None), due < now))
    late = or_(broken, late) if broken is not None else late
    waiting = and_(done.is_(None), due >= now)
    if broken is not None:
        waiting = and_(waiting, broken.is_(False))
    return literal(metric).label("metric"), func.count(), count_if(late), count_if(waiting)


def _after(metric, since, limit: timedelta, done, now):
    """Aggregate promises due `limit` after `since` (the arithmetic kept dialect-neutral)."""
    late = or_(
        and_(done.is_not(None), seconds_between(done, since) > limit.total_seconds()),
        and_(done.is_(None), since < now - limit),
    )
    waiting = and_(done.is_(None), since >= now - limit)
    return literal(metric).label("metric"), func.count(), count_if(late), count_if(waiting)


def _by_region(statement, region_id, by: str):
    """Add the line's key: the region's code (by=region) or "all"."""
    if by != "region":
        return statement.add_columns(literal("all").label("key"))
    key = func.coalesce(Region.code, "none").label("key")
    return statement.outerjoin(Region, Region.id == region_id).add_columns(key).group_by(key)


def report(session: Session, scope: Scope, *, by: str = "total") -> list[dict]:
    """Return one line per promise (and region, by=region) whose due time is in [start, end)."""
    now = utcnow()

    def _job_region(statement, scope: Scope):
        statement = statement.outerjoin(Site, Site.id == ServiceRequest.site_id)
        return _by_region(statement.where(scope.regions(Site.region_id)), Site.region_id, by)

    overdue = FollowUp.overdue_at.is_not(None)
    followups = _job_region(
        select(*_fixed("followup_24h", FollowUp.deadline_at, FollowUp.sent_at, now, broken=overdue))
        .select_from(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(scope.during(FollowUp.deadline_at)),
        scope,
    )
    jobs = _job_answers(scope)
    booking = _registered_within(
        "booking_1_day", BOOKING_DEADLINE, jobs.c.booked, jobs, scope, now, by
    )
    answer = _registered_within(
        "answer_72h", ANSWER_DEADLINE, jobs.c.answered, jobs, scope, now, by
    )
    arrival = _job_region(
        select(*_fixed("on_time_arrival", Visit.window_end, Visit.arrived_at, now))
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(scope.during(Visit.window_end), Visit.status != VisitStatus.CANCELLED),
        scope,
    )
    first_response = _job_region(
        select(
            *_fixed(
                "request_first_response_24h",
                RequestFirstResponse.due_at,
                RequestFirstResponse.responded_at,
                now,
                broken=RequestFirstResponse.breached_at.is_not(None),
            )
        )
        .join(ServiceRequest, ServiceRequest.id == RequestFirstResponse.request_id)
        .where(scope.during(RequestFirstResponse.due_at)),
        scope,
    )
    # DSP-5: the technician accepts (接单) within 15 minutes of the assignment. An assignment
    # handed to someone else before its due time without acceptance is not counted.
    acceptance = _job_region(
        select(
            *_fixed("acceptance_15min", JobAssignment.accept_due_at, JobAssignment.accepted_at, now)
        )
        .join(Visit, Visit.id == JobAssignment.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(
            scope.during(JobAssignment.accept_due_at),
            or_(
                JobAssignment.accepted_at.is_not(None),
                JobAssignment.ended_at.is_(None),
                JobAssignment.ended_at > JobAssignment.accept_due_at,
            ),
        ),
        scope,
    )
    clock_metric = ("complaint_" + ComplaintClock.name).label("metric")
    breached = ComplaintClock.breached_at.is_not(None)
    clocks = _by_region(
        select(
            clock_metric,
            *_fixed("", ComplaintClock.due_at, ComplaintClock.met_at, now, broken=breached)[1:],
        )
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(scope.during(ComplaintClock.due_at), scope.regions(Complaint.region_id))
        .group_by(ComplaintClock.name),
        Complaint.region_id,
        by,
    )
    fixed = (
        "acceptance_15min",
        "followup_24h",
        "booking_1_day",
        "answer_72h",
        "on_time_arrival",
        "request_first_response_24h",
    )
    rows = session.execute(
        union_all(acceptance, followups, booking, answer, arrival, first_response, clocks)
    ).all()
    rows.sort(key=lambda r: (r[4], fixed.index(r[0]) if r[0] in fixed else len(fixed), r[0]))
    return [_line(*row) for row in rows]


def _job_answers(scope: Scope):
    """Job requests registered in time to fall due in the period, each with its first visit and
    first confirmed date: one grouped join, read by both promises (a CTE)."""
    return (
        select(
            ServiceRequest.registered_at.label("since"),
            Site.region_id.label("region_id"),
            func.min(Visit.created_at).label("booked"),
            func.min(Appointment.confirmed_at).label("answered"),
        )
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .outerjoin(Visit, Visit.request_id == ServiceRequest.id)
        .outerjoin(Appointment, Appointment.visit_id == Visit.id)
        .where(
            ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
            ServiceRequest.registered_at >= scope.start - ANSWER_DEADLINE,
            ServiceRequest.registered_at < scope.end - BOOKING_DEADLINE,
            scope.regions(Site.region_id),
        )
        .group_by(ServiceRequest.id, Site.region_id)
        .cte("job_answers")
    )


def _registered_within(metric, limit: timedelta, done, jobs, scope: Scope, now, by: str):
    """Aggregate the job requests due `limit` after registration within the period."""
    statement = (
        select(*_after(metric, jobs.c.since, limit, done, now))
        .select_from(jobs)
        .where(jobs.c.since >= scope.start - limit, jobs.c.since < scope.end - limit)
    )
    return _by_region(statement, jobs.c.region_id, by)


def _line(metric, total, breached, waiting, key) -> dict:
    line = SlaLine(metric, int(total), int(breached), int(waiting))
    return {**line.__dict__, "rate": line.rate, "key": key}
