"""Per-technician performance (RPT-6): jobs, punctuality, time on site, first-time fix, rating."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dispatch.complaints.models import Complaint
from dispatch.customers.models import Site
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.reports.query import Scope, count_if, seconds_between
from dispatch.reports.rules import FIRST_TIME_FIX_DAYS, percent
from dispatch.technicians.models import Technician
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

COLUMNS = (
    "technician_id",
    "technician",
    "jobs_done",
    "on_time_rate",
    "avg_minutes_on_site",
    "first_time_fix_rate",
    "avg_rating",
    "complaints",
)


def report(session: Session, scope: Scope) -> list[dict]:
    """Return one line per technician with work (at sites of the scope's regions) or complaints."""
    window = timedelta(days=FIRST_TIME_FIX_DAYS)
    # Each completion and the next completion of the same unit: one sorted pass (window
    # function) over the period and the 30 days after it, instead of a lookup per visit.
    visits = (
        select(
            Visit.id,
            Visit.technician_id,
            Visit.window_end,
            Visit.arrived_at,
            Visit.completed_at,
            ServiceRequest.asset_id,
            func.lead(Visit.completed_at)
            .over(partition_by=ServiceRequest.asset_id, order_by=(Visit.completed_at, Visit.id))
            .label("next_fix"),
        )
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(
            Visit.status == VisitStatus.COMPLETED,
            Visit.completed_at >= scope.start,
            Visit.completed_at < scope.end + window,
            scope.regions(Site.region_id),
        )
        .subquery()
    )
    with_unit = visits.c.asset_id.is_not(None)
    repeated = and_(
        visits.c.next_fix.is_not(None),
        seconds_between(visits.c.next_fix, visits.c.completed_at) <= window.total_seconds(),
    )
    work = (
        select(
            visits.c.technician_id.label("technician_id"),
            func.count(visits.c.id).label("jobs"),
            count_if(visits.c.arrived_at <= visits.c.window_end).label("on_time"),
            count_if(visits.c.arrived_at.is_not(None)).label("arrived"),
            func.avg(seconds_between(visits.c.completed_at, visits.c.arrived_at)).label("on_site"),
            count_if(with_unit).label("with_unit"),
            count_if(and_(with_unit, ~repeated)).label("fixed_first_time"),
            func.avg(FollowUp.rating).label("rating"),
        )
        .outerjoin(FollowUp, FollowUp.visit_id == visits.c.id)
        .where(visits.c.completed_at < scope.end, visits.c.technician_id.is_not(None))
        .group_by(visits.c.technician_id)
        .subquery()
    )
    complained = (
        select(Complaint.technician_id, func.count(Complaint.id).label("n"))
        .where(scope.during(Complaint.received_at), scope.regions(Complaint.region_id))
        .where(Complaint.technician_id.is_not(None))
        .group_by(Complaint.technician_id)
        .subquery()
    )
    statement = (
        select(Technician.id, Technician.name, work, complained.c.n)
        .outerjoin(work, work.c.technician_id == Technician.id)
        .outerjoin(complained, complained.c.technician_id == Technician.id)
        .where((work.c.jobs.is_not(None)) | (complained.c.n.is_not(None)))
        .order_by(Technician.name, Technician.id)
    )
    return [_line(row) for row in session.execute(statement).mappings()]


def _line(row) -> dict:
    on_site = row["on_site"]
    rating = row["rating"]
    return {
        "technician_id": row["id"],
        "technician": row["name"],
        "jobs_done": row["jobs"] or 0,
        "on_time_rate": percent(row["on_time"], row["arrived"]),
        "avg_minutes_on_site": None if on_site is None else round(float(on_site) / 60, 1),
        "first_time_fix_rate": percent(row["fixed_first_time"], row["with_unit"]),
        "avg_rating": None if rating is None else round(float(rating), 2),
        "complaints": row["n"] or 0,
    }
