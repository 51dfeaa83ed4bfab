"""Repeat-customer, complaint and churn rates of a period (RPT-7), per region."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from dispatch.complaints.models import Complaint
from dispatch.customers.models import Site
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES
from dispatch.regions.models import Region
from dispatch.reports.query import Scope
from dispatch.reports.rules import ChurnRule, percent
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

COLUMNS = (
    "region",
    "customers",
    "repeat_customers",
    "repeat_rate",
    "jobs_done",
    "complaints",
    "complaint_rate",
    "base_customers",
    "churned",
    "churn_rate",
)


def report(session: Session, scope: Scope, *, churn: ChurnRule) -> list[dict]:
    """Return per region the three rates; definitions in docs/kpis.md."""
    base_from = scope.start - timedelta(days=churn.lookback_days)
    kept_until = scope.end + timedelta(days=churn.grace_days)
    region = func.coalesce(Site.region_id, 0).label("region_id")
    jobs = (
        select(
            region,
            ServiceRequest.customer_id,
            func.max(case((ServiceRequest.registered_at < scope.start, 1), else_=0)).label(
                "before"
            ),
            func.max(case((scope.during(ServiceRequest.registered_at), 1), else_=0)).label("now"),
            func.max(
                case((_within(ServiceRequest.registered_at, base_from, scope.start), 1), else_=0)
            ).label("base"),
            func.max(
                case((_within(ServiceRequest.registered_at, scope.start, kept_until), 1), else_=0)
            ).label("kept"),
        )
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(ServiceRequest.request_type.in_(JOB_REQUEST_TYPES))
        .where(ServiceRequest.registered_at < kept_until, scope.regions(Site.region_id))
        .group_by(region, ServiceRequest.customer_id)
        .subquery()
    )
    per_customer = select(
        jobs.c.region_id,
        func.sum(jobs.c.now).label("customers"),
        func.sum(case((and_(jobs.c.now == 1, jobs.c.before == 1), 1), else_=0)).label("repeat"),
        func.sum(jobs.c.base).label("base"),
        func.sum(case((and_(jobs.c.base == 1, jobs.c.kept == 0), 1), else_=0)).label("churned"),
        literal(0).label("done"),
        literal(0).label("complaints"),
    ).group_by(jobs.c.region_id)
    done = (
        select(
            region,
            *(literal(0) for _ in range(4)),
            func.count(Visit.id),
            literal(0),
        )
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(Visit.status == VisitStatus.COMPLETED, scope.during(Visit.completed_at))
        .where(scope.regions(Site.region_id))
        .group_by(region)
    )
    complaint_region = func.coalesce(Complaint.region_id, 0)
    complaints = (
        select(complaint_region, *(literal(0) for _ in range(5)), func.count(Complaint.id))
        .where(scope.during(Complaint.received_at), scope.regions(Complaint.region_id))
        .group_by(complaint_region)
    )
    parts = union_all(per_customer, done, complaints).subquery()
    totals = (
        select(
            func.coalesce(Region.code, "none").label("region"),
            *(func.sum(column) for column in list(parts.c)[1:]),
        )
        .select_from(parts)
        .outerjoin(Region, Region.id == list(parts.c)[0])
        .group_by(Region.code)
        .order_by(Region.code)
    )
    return [_line(*row) for row in session.execute(totals)]


def _within(column, start, end):
    return and_(column >= start, column < end)


def _line(region, customers, repeat, base, churned, done, complaints) -> dict:
    customers, repeat, base, churned = (int(v or 0) for v in (customers, repeat, base, churned))
    done, complaints = int(done or 0), int(complaints or 0)
    return {
        "region": region,
        "customers": customers,
        "repeat_customers": repeat,
        "repeat_rate": percent(repeat, customers),
        "jobs_done": done,
        "complaints": complaints,
        "complaint_rate": percent(complaints, done),
        "base_customers": base,
        "churned": churned,
        "churn_rate": percent(churned, base),
    }
