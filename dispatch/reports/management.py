"""The management report (RPT-9): major and important cases, and recurring complaint causes."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dispatch.complaints.models import Complaint
from dispatch.regions.models import Region
from dispatch.reports.query import Scope

CASE_COLUMNS = (
    "number",
    "received_at",
    "region",
    "severity",
    "priority",
    "nature",
    "category",
    "status",
    "cause",
    "resolution",
    "closed_at",
)
CAUSE_COLUMNS = ("category", "cause", "complaints", "last_received_at")
RECURRING_MIN = 2  # a cause seen at least this often in the period recurs


def cases(session: Session, scope: Scope) -> list[dict]:
    """Return major (severity) and important (high-priority) complaints received in the period."""
    statement = (
        select(
            Complaint.number,
            Complaint.received_at,
            func.coalesce(Region.code, "none"),
            Complaint.severity,
            Complaint.priority,
            Complaint.nature,
            Complaint.category,
            Complaint.status,
            Complaint.cause,
            Complaint.resolution,
            Complaint.closed_at,
        )
        .outerjoin(Region, Region.id == Complaint.region_id)
        .where(scope.during(Complaint.received_at), scope.regions(Complaint.region_id))
        .where(or_(Complaint.severity == "major", Complaint.priority == "high"))
        .order_by(Complaint.severity.desc(), Complaint.received_at, Complaint.id)
    )
    return [
        {name: _plain(value) for name, value in zip(CASE_COLUMNS, row, strict=True)}
        for row in session.execute(statement)
    ]


def causes(session: Session, scope: Scope) -> list[dict]:
    """Return the causes found in RECURRING_MIN or more complaints of the period."""
    cause = func.lower(func.trim(func.substr(Complaint.cause, 1, 120))).label("cause")
    statement = (
        select(
            Complaint.category,
            cause,
            func.count(Complaint.id).label("complaints"),
            func.max(Complaint.received_at).label("last"),
        )
        .where(scope.during(Complaint.received_at), scope.regions(Complaint.region_id))
        .where(Complaint.cause.is_not(None), func.trim(Complaint.cause) != "")
        .group_by(Complaint.category, cause)
        .having(func.count(Complaint.id) >= RECURRING_MIN)
        .order_by(func.count(Complaint.id).desc(), Complaint.category, cause)
    )
    return [
        {"category": c, "cause": k, "complaints": n, "last_received_at": _plain(last)}
        for c, k, n, last in session.execute(statement)
    ]


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
