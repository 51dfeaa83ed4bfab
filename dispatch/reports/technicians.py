"""Per-technician performance (RPT-6): jobs, punctuality, time on site, first-time fix, rating."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from dispatch.complaints.models import Complaint
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


def _repeat_repair():
    """Another completed visit to the same unit within FIRST_TIME_FIX_DAYS after this one."""
    later, request = aliased(Visit), aliased(ServiceRequest)
    return (
        select(later.id)
        .join(request, request.id == later.request_id)
        .where(
            request.asset_id == ServiceRequest.asset_id,
            later.id != Visit.id,
            later.status == VisitStatus.COMPLETED,
            later.completed_at > Visit.completed_at,
            seconds_between(later.completed_at, Visit.completed_at) <= FIRST_TIME_FIX_DAYS * 86400,
        )
        .exists()
    )


def report(session: Session, scope: Scope) -> list[dict]:
    """Return one line per technician of the scope's regions with work in the period."""
    done = and_(Visit.status == VisitStatus.COMPLETED, scope.during(Visit.completed_at))
    with_unit = ServiceRequest.asset_id.is_not(None)
    work = (
        select(
            Visit.technician_id.label("technician_id"),
            func.count(Visit.id).label("jobs"),
            count_if(Visit.arrived_at <= Visit.window_end).label("on_time"),
            count_if(Visit.arrived_at.is_not(None)).label("arrived"),
            func.avg(seconds_between(Visit.completed_at, Visit.arrived_at)).label("on_site"),
            count_if(with_unit).label("with_unit"),
            count_if(and_(with_unit, ~_repeat_repair())).label("fixed_first_time"),
            func.avg(FollowUp.rating).label("rating"),
        )
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(FollowUp, FollowUp.visit_id == Visit.id)
        .where(done, Visit.technician_id.is_not(None))
        .group_by(Visit.technician_id)
        .subquery()
    )
    complained = (
        select(Complaint.technician_id, func.count(Complaint.id).label("n"))
        .where(scope.during(Complaint.received_at), Complaint.technician_id.is_not(None))
        .group_by(Complaint.technician_id)
        .subquery()
    )
    statement = (
        select(Technician.id, Technician.name, work, complained.c.n)
        .outerjoin(work, work.c.technician_id == Technician.id)
        .outerjoin(complained, complained.c.technician_id == Technician.id)
        .where(scope.regions(Technician.region_id))
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
