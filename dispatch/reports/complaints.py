"""Complaint KPIs (RPT-2): handling time, resolution, satisfaction, timeliness, by dimension."""

from __future__ import annotations

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.regions.models import Region
from dispatch.reports.query import Scope, avg_if, count_if, seconds_between
from dispatch.reports.rules import hours, percent

BREAKDOWNS = ("total", "category", "nature", "status", "region", "priority")
COLUMNS = (
    "key",
    "complaints",
    "avg_handling_hours",
    "resolution_rate",
    "satisfaction_rate",
    "timeliness_rate",
)


def _key(by: str):
    if by == "total":
        return literal("all")
    if by == "region":
        return func.coalesce(Region.code, "none")
    return getattr(Complaint, by)


def report(session: Session, scope: Scope, *, by: str = "total") -> list[dict]:
    """Return one line per value of `by` for complaints received in the period."""
    now = utcnow()
    clock = aliased(ComplaintClock)
    resolved = Complaint.resolved_at.is_not(None)
    timely = and_(clock.met_at.is_not(None), clock.met_at <= clock.due_at)
    decided = or_(clock.met_at.is_not(None), clock.due_at <= now)
    key = _key(by).label("key")
    statement = (
        select(
            key,
            func.count(Complaint.id),
            avg_if(resolved, seconds_between(Complaint.resolved_at, Complaint.received_at)),
            count_if(resolved),
            count_if(Complaint.followup_satisfied.is_(True)),
            count_if(Complaint.followup_satisfied.is_not(None)),
            count_if(timely),
            count_if(and_(clock.id.is_not(None), decided)),
        )
        .outerjoin(clock, and_(clock.complaint_id == Complaint.id, clock.name == "resolution"))
        .outerjoin(Region, Region.id == Complaint.region_id)
        .where(scope.during(Complaint.received_at), scope.regions(Complaint.region_id))
        .group_by(key)
        .order_by(key)
    )
    return [
        {
            "key": str(k),
            "complaints": n,
            "avg_handling_hours": hours(avg_seconds),
            "resolution_rate": percent(n_resolved, n),
            "satisfaction_rate": percent(satisfied, asked),
            "timeliness_rate": percent(on_time, due),
        }
        for k, n, avg_seconds, n_resolved, satisfied, asked, on_time, due in session.execute(
            statement
        )
    ]
