"""The SLA report (RPT-1): each timed promise of the service, how often it was broken.

One SQL statement: a line per promise (a UNION ALL of aggregates), scoped to the actor's regions.
Acceptance within 15 min (DSP-5) has no record yet (no acceptance step exists), so it has no line.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from dispatch.booking.models import Appointment
from dispatch.clock import utcnow
from dispatch.complaints.first_response import RequestFirstResponse
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.customers.models import Site
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES
from dispatch.reports.query import Scope, count_if, seconds_between
from dispatch.reports.rules import SlaLine
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

BOOKING_DEADLINE = timedelta(hours=24)  # H6 / APT-1
ANSWER_DEADLINE = timedelta(hours=72)  # H8 / APT-12
COLUMNS = ("metric", "total", "breached", "open", "rate")
CSV_HEADER = ("metric", "total", "breached", "open", "breach_rate_percent")


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


def _job_region(statement, scope: Scope):
    return statement.outerjoin(Site, Site.id == ServiceRequest.site_id).where(
        scope.regions(Site.region_id)
    )


def report(session: Session, scope: Scope) -> list[dict]:
    """Return one line per promise whose due time falls in [start, end)."""
    now = utcnow()
    overdue = FollowUp.overdue_at.is_not(None)
    followups = _job_region(
        select(*_fixed("followup_24h", FollowUp.deadline_at, FollowUp.sent_at, now, broken=overdue))
        .select_from(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(scope.during(FollowUp.deadline_at)),
        scope,
    )
    first_visit = (
        select(func.min(Visit.created_at)).where(Visit.request_id == ServiceRequest.id)
    ).scalar_subquery()
    jobs_due = and_(
        ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
        ServiceRequest.registered_at >= scope.start - BOOKING_DEADLINE,
        ServiceRequest.registered_at < scope.end - BOOKING_DEADLINE,
    )
    booking = _job_region(
        select(
            *_after(
                "booking_1_day", ServiceRequest.registered_at, BOOKING_DEADLINE, first_visit, now
            )
        ).where(jobs_due),
        scope,
    )
    answered = _answer_time()
    answer = _job_region(
        select(
            *_after("answer_72h", ServiceRequest.registered_at, ANSWER_DEADLINE, answered, now)
        ).where(
            ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
            ServiceRequest.registered_at >= scope.start - ANSWER_DEADLINE,
            ServiceRequest.registered_at < scope.end - ANSWER_DEADLINE,
        ),
        scope,
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
    clock_metric = ("complaint_" + ComplaintClock.name).label("metric")
    breached = ComplaintClock.breached_at.is_not(None)
    clocks = (
        select(
            clock_metric,
            *_fixed("", ComplaintClock.due_at, ComplaintClock.met_at, now, broken=breached)[1:],
        )
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(scope.during(ComplaintClock.due_at), scope.regions(Complaint.region_id))
        .group_by(ComplaintClock.name)
    )
    fixed = (
        "followup_24h",
        "booking_1_day",
        "answer_72h",
        "on_time_arrival",
        "request_first_response_24h",
    )
    rows = session.execute(
        union_all(followups, booking, answer, arrival, first_response, clocks)
    ).all()
    rows.sort(key=lambda r: (fixed.index(r[0]) if r[0] in fixed else len(fixed), r[0]))
    return [_line(*row) for row in rows]


def _answer_time():
    """When the customer first had a specific answer: the first date they confirmed (APT-12)."""
    return (
        select(func.min(Appointment.confirmed_at))
        .join(Visit, Visit.id == Appointment.visit_id)
        .where(Visit.request_id == ServiceRequest.id)
        .scalar_subquery()
    )


def _line(metric, total, breached, waiting) -> dict:
    line = SlaLine(metric, int(total), int(breached), int(waiting))
    return {**line.__dict__, "rate": line.rate}
