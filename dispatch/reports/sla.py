"""The SLA report (RPT-1): each timed promise of the service, how often it was broken.

One SQL statement: a line per promise (a UNION ALL of aggregates) and per key of the chosen
breakdown (total, region, technician, department, job), scoped to the actor's regions. Each
promise names who answers for it (`Keys`); a promise no technician answers for (booking, the
72 h answer, first responses, complaint clocks other than forwarding) has no line by technician.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from dispatch.assignments.models import JobAssignment, JobTransfer
from dispatch.clock import utcnow
from dispatch.complaints.first_response import RequestFirstResponse
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.customers.models import Site
from dispatch.followups.models import FollowUp
from dispatch.intake.clocks import RequestClock
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.reports.query import Scope, count_if
from dispatch.reports.rules import SlaLine
from dispatch.technicians.models import Technician
from dispatch.users.models import User
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

BREAKDOWNS = ("total", "region", "technician", "department", "job")
COLUMNS = ("metric", "total", "breached", "open", "rate", "key")
CSV_HEADER = ("metric", "total", "breached", "open", "breach_rate_percent", "key")
JOB_DEPARTMENT = "service"  # the after-sales service department owns every job (APT-4, DSP-4)
CS_DEPARTMENT = "customer_service"  # first responses, complaints naming no department
FORWARDING = "forwarding"  # the one complaint clock a technician can run (CMP-5)
FIXED = (
    "acceptance_15min",
    "followup_24h",
    "booking_1_day",
    "answer_72h",
    "on_time_arrival",
    "request_first_response_24h",
)


@dataclass(frozen=True)
class Keys:
    """Who answers for a promise, per breakdown: a region id, a technician id, a department
    (a column or a fixed name) and a request id (None: the breakdown does not apply)."""

    region: ColumnElement
    department: ColumnElement | str
    technician: ColumnElement | None = None
    request: ColumnElement | None = None


@dataclass(frozen=True)
class Breakdown:
    """The chosen breakdown; by job, one page of jobs after `after` (their numbers)."""

    by: str = "total"
    after: str | None = None
    limit: int = 1000


def _fixed(metric, due, done, now, *, broken=None):
    """Aggregate promises with a stored due time: late if done after it or not done by now."""
    late = or_(and_(done.is_not(None), done > due), and_(done.is_(None), due < now))
    late = or_(broken, late) if broken is not None else late
    waiting = and_(done.is_(None), due >= now)
    if broken is not None:
        waiting = and_(waiting, broken.is_(False))
    return (
        literal(metric).label("metric"),
        func.count().label("total"),
        count_if(late).label("breached"),
        count_if(waiting).label("open"),
    )


def _keyed(statement, keys: Keys, breakdown: Breakdown):
    """Add the line's key of the breakdown and group by it; None when it does not apply."""
    by = breakdown.by
    if by == "total" or (by == "department" and isinstance(keys.department, str)):
        fixed = "all" if by == "total" else keys.department
        return statement.add_columns(literal(fixed).label("key"))
    if by == "region":
        key = func.coalesce(Region.code, "none").label("key")
        statement = statement.outerjoin(Region, Region.id == keys.region)
    elif by == "technician":
        if keys.technician is None:
            return None
        technician, user = aliased(Technician), aliased(User)
        key = func.coalesce(user.username, "none").label("key")
        statement = statement.outerjoin(technician, technician.id == keys.technician).outerjoin(
            user, user.id == technician.user_id
        )
    elif by == "department":
        key = keys.department.label("key")
    else:  # job: the request's number, one page of them
        if keys.request is None:
            return None
        job = aliased(ServiceRequest)
        key = job.number.label("key")
        statement = statement.join(job, job.id == keys.request)
        if breakdown.after is not None:
            statement = statement.where(job.number > breakdown.after)
    return statement.add_columns(key).group_by(key)


def _job_department():
    """The department a job was last handed to (DSP-13), else the service department."""
    latest = (
        select(
            JobTransfer.request_id,
            JobTransfer.to_department,
            func.row_number()
            .over(partition_by=JobTransfer.request_id, order_by=JobTransfer.id.desc())
            .label("newest"),
        )
        .where(JobTransfer.to_department.is_not(None))
        .subquery("job_departments")
    )
    return latest, func.coalesce(latest.c.to_department, JOB_DEPARTMENT)


def report(
    session: Session, scope: Scope, *, by: str = "total", after: str | None = None, limit=1000
) -> list[dict]:
    """Return one line per promise and key of the breakdown whose due time is in [start, end)."""
    breakdown = Breakdown(by, after, limit)
    now = utcnow()
    transfers, department = _job_department()

    def job_lines(statement, **keys):
        """Key a statement over job requests (ServiceRequest in its FROM) by its site."""
        statement = statement.outerjoin(Site, Site.id == ServiceRequest.site_id)
        if by == "department":
            statement = statement.outerjoin(
                transfers,
                and_(transfers.c.request_id == ServiceRequest.id, transfers.c.newest == 1),
            )
        keys = replace(Keys(Site.region_id, department, request=ServiceRequest.id), **keys)
        return _keyed(statement.where(scope.regions(Site.region_id)), keys, breakdown)

    followups = job_lines(
        select(
            *_fixed(
                "followup_24h",
                FollowUp.deadline_at,
                FollowUp.sent_at,
                now,
                broken=FollowUp.overdue_at.is_not(None),
            )
        )
        .select_from(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(scope.during(FollowUp.deadline_at)),
        technician=Visit.technician_id,
    )
    jobs = _job_clocks(scope)
    booking = job_lines(
        select(*_fixed("booking_1_day", jobs.c.booking_due_at, jobs.c.booked, now))
        .select_from(jobs)
        .join(ServiceRequest, ServiceRequest.id == jobs.c.request_id)
        .where(scope.during(jobs.c.booking_due_at)),
    )
    answer = job_lines(
        select(
            *_fixed(
                "answer_72h",
                jobs.c.answer_due_at,
                jobs.c.answered_at,
                now,
                broken=jobs.c.answered_late,
            )
        )
        .select_from(jobs)
        .join(ServiceRequest, ServiceRequest.id == jobs.c.request_id)
        .where(scope.during(jobs.c.answer_due_at)),
    )
    arrival = job_lines(
        select(*_fixed("on_time_arrival", Visit.window_end, Visit.arrived_at, now))
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(scope.during(Visit.window_end), Visit.status != VisitStatus.CANCELLED),
        technician=Visit.technician_id,
    )
    first_response = job_lines(
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
        department=CS_DEPARTMENT,
    )
    # DSP-5: the technician accepts (接单) within 15 minutes of the assignment. An assignment
    # handed to someone else before its due time without acceptance is not counted.
    acceptance = job_lines(
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
        technician=JobAssignment.technician_id,
    )
    lines = [
        acceptance,
        followups,
        booking,
        answer,
        arrival,
        first_response,
        _complaint_clocks(scope, breakdown, now),
    ]
    statement = union_all(*(line for line in lines if line is not None))
    if by == "job":
        statement = _one_page(statement, limit)
    rows = session.execute(statement).all()
    rows.sort(key=lambda r: (r[4], FIXED.index(r[0]) if r[0] in FIXED else len(FIXED), r[0]))
    return [_line(*row) for row in rows]


def _complaint_clocks(scope: Scope, breakdown: Breakdown, now):
    """Lines of every complaint clock; by technician only forwarding, whose receiver answers."""
    statement = (
        select(
            ("complaint_" + ComplaintClock.name).label("metric"),
            *_fixed("", ComplaintClock.due_at, ComplaintClock.met_at, now, broken=_breached())[1:],
        )
        .join(Complaint, Complaint.id == ComplaintClock.complaint_id)
        .where(scope.during(ComplaintClock.due_at), scope.regions(Complaint.region_id))
        .group_by(ComplaintClock.name)
    )
    receiver = None
    if breakdown.by == "technician":  # CMP-5: the technician who took it must pass it on
        receiver = aliased(Technician)
        statement = statement.outerjoin(
            receiver, receiver.user_id == Complaint.first_owner_id
        ).where(ComplaintClock.name == FORWARDING)
    keys = Keys(
        Complaint.region_id,
        func.coalesce(Complaint.department, CS_DEPARTMENT),
        technician=receiver.id if receiver is not None else None,
        request=Complaint.request_id,
    )
    return _keyed(statement, keys, breakdown)


def _breached():
    return ComplaintClock.breached_at.is_not(None)


def _job_clocks(scope: Scope):
    """Job requests with a clock due in the period, each with its first visit's creation:
    one grouped join, read by both promises (a CTE)."""
    due = or_(scope.during(RequestClock.booking_due_at), scope.during(RequestClock.answer_due_at))
    return (
        select(
            RequestClock.request_id,
            RequestClock.booking_due_at,
            RequestClock.answer_due_at,
            RequestClock.answered_at,
            RequestClock.answered_late,
            func.min(Visit.created_at).label("booked"),
        )
        .outerjoin(Visit, Visit.request_id == RequestClock.request_id)
        .where(due)
        .group_by(RequestClock.request_id)
        .cte("job_clocks")
    )


def _one_page(statement, limit: int):
    """Keep the lines of the first `limit` jobs in number order (keyset: `after` a number)."""
    lines = statement.subquery("lines")
    ranked = select(
        *lines.c, func.dense_rank().over(order_by=lines.c.key).label("job_rank")
    ).subquery("ranked")
    columns = [ranked.c[column.name] for column in lines.c]
    return select(*columns).where(ranked.c.job_rank <= limit)


def _line(metric, total, breached, waiting, key) -> dict:
    line = SlaLine(metric, int(total), int(breached), int(waiting))
    return {**line.__dict__, "rate": line.rate, "key": key}
