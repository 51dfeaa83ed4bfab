"""Follow-up results: the weekly satisfaction summary (RPT-3) and the monthly analysis (RPT-4)."""

from __future__ import annotations

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from dispatch.customers.models import Site
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.reports.query import Scope, count_if
from dispatch.reports.rules import SATISFIED_RATING_MIN, percent
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

WEEKLY_COLUMNS = (
    "region",
    "followups_due",
    "answered",
    "response_rate",
    "avg_rating",
    "satisfied_rate",
    "avg_quality",
    "avg_timeliness",
    "avg_attitude",
    "problem_solved_rate",
)
MONTHLY_COLUMNS = ("section", "key", "value")
TOP_CATEGORIES = 5


def _followups_in(scope: Scope, moment):
    """Follow-ups joined to their job's region, limited to the scope; `moment` picks the period."""
    return (
        select()
        .select_from(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(scope.during(moment), scope.regions(Site.region_id))
    )


def _avg(column):
    return func.round(func.avg(column), 2)


def weekly(session: Session, scope: Scope) -> list[dict]:
    """Return per region: follow-ups due, answered, rating and aspect averages (RPT-3)."""
    answered = FollowUp.answered_at.is_not(None)
    region = func.coalesce(Region.code, "none").label("region")
    statement = (
        _followups_in(scope, FollowUp.deadline_at)
        .outerjoin(Region, Region.id == Site.region_id)
        .add_columns(
            region,
            func.count(FollowUp.id),
            count_if(answered),
            _avg(FollowUp.rating),
            count_if(FollowUp.rating >= SATISFIED_RATING_MIN),
            count_if(FollowUp.rating.is_not(None)),
            _avg(FollowUp.quality),
            _avg(FollowUp.timeliness),
            _avg(FollowUp.attitude),
            count_if(FollowUp.problem_solved.is_(True)),
            count_if(FollowUp.problem_solved.is_not(None)),
        )
        .group_by(region)
        .order_by(region)
    )
    return [_weekly_line(*row) for row in session.execute(statement)]


def _weekly_line(region, due, answered, rating, satisfied, rated, *rest) -> dict:
    quality, timeliness, attitude, solved, asked = rest
    return {
        "region": region,
        "followups_due": due,
        "answered": answered,
        "response_rate": percent(answered, due),
        "avg_rating": _number(rating),
        "satisfied_rate": percent(satisfied, rated),
        "avg_quality": _number(quality),
        "avg_timeliness": _number(timeliness),
        "avg_attitude": _number(attitude),
        "problem_solved_rate": percent(solved, asked),
    }


def monthly(session: Session, scope: Scope) -> list[dict]:
    """Return the rating distribution, unresolved and reopened jobs, top categories (RPT-4)."""
    # The answers of the period are read once (a CTE used by three parts).
    answers = (
        _followups_in(scope, FollowUp.answered_at)
        .add_columns(FollowUp.rating, FollowUp.problem_solved, ServiceRequest.category)
        .cte("answers")
    )
    distribution = (
        select(
            literal("rating").label("section"),
            cast(answers.c.rating, String).label("key"),
            func.count().label("value"),
        )
        .where(answers.c.rating.is_not(None))
        .group_by(answers.c.rating)
    )
    unresolved = select(
        literal("jobs").label("section"),
        literal("unresolved").label("key"),
        count_if(answers.c.problem_solved.is_(False)).label("value"),
    )
    earlier = aliased(Visit)
    returned = (
        select(
            literal("jobs").label("section"),
            literal("reopened").label("key"),
            func.count(func.distinct(Visit.request_id)).label("value"),
        )
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(scope.during(Visit.created_at), scope.regions(Site.region_id))
        .where(
            select(earlier.id)
            .where(
                earlier.request_id == Visit.request_id,
                earlier.status == VisitStatus.COMPLETED,
                earlier.completed_at < Visit.created_at,
            )
            .exists()
        )
    )
    ranked = (
        select(
            answers.c.category.label("key"),
            func.count().label("value"),
            func.row_number()
            .over(order_by=(func.count().desc(), answers.c.category))
            .label("rank"),
        )
        .where(answers.c.rating < SATISFIED_RATING_MIN)
        .group_by(answers.c.category)
        .subquery()
    )
    top = select(
        literal("unsatisfied_category").label("section"), ranked.c.key, ranked.c.value
    ).where(ranked.c.rank <= TOP_CATEGORIES)
    rows = session.execute(union_all(distribution, unresolved, returned, top)).all()
    order = {"rating": 0, "jobs": 1, "unsatisfied_category": 2}
    rows.sort(
        key=lambda r: (order[r.section], -r.value if r.section != "rating" else 0, str(r.key))
    )
    return [{"section": s, "key": str(k), "value": v} for s, k, v in rows]


def _number(value) -> float | None:
    return None if value is None else float(value)
