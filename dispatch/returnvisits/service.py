"""Set up return-visit plans; list return visits and record their outcomes (FUP-9).

A return visit lies in the region of its job (dispatch.access, through the request loader).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import add_created, audited
from dispatch.clock import utcnow
from dispatch.customers.models import Site
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.returnvisits import rules
from dispatch.returnvisits.models import ReturnVisit, ReturnVisitPlan

RETURN_VISIT_SORTS = {
    "due_at": order((ReturnVisit.due_at, False), (ReturnVisit.id, False)),
    "-id": order((ReturnVisit.id, True)),
}


def list_plans(session: Session) -> list[ReturnVisitPlan]:
    """Every return-visit plan (a short configuration table)."""
    return list(session.scalars(select(ReturnVisitPlan).order_by(ReturnVisitPlan.id)))


def create_plan(
    session: Session,
    *,
    actor: Actor,
    interval_months: int,
    service_class: str | None = None,
    product_model: str | None = None,
) -> ReturnVisitPlan:
    """Switch periodic return visits on for one service class or one product model."""
    if not rules.plan_key_valid(service_class, product_model):
        raise RuleViolation(
            "Name either a service class or a product model",
            error_code="return_plan_key",
            details={"service_class": ["exactly one of service_class, product_model"]},
        )
    same = select(ReturnVisitPlan.id).where(
        ReturnVisitPlan.service_class.is_(None)
        if service_class is None
        else ReturnVisitPlan.service_class == service_class,
        ReturnVisitPlan.product_model.is_(None)
        if product_model is None
        else ReturnVisitPlan.product_model == product_model,
    )
    if session.scalar(same) is not None:
        raise Conflict("A plan for this already exists; change it", error_code="return_plan_exists")
    plan = ReturnVisitPlan(
        service_class=service_class, product_model=product_model, interval_months=interval_months
    )
    return add_created(
        session,
        actor=actor,
        obj=plan,
        action="return_plan.created",
        entity="return_visit_plan",
        after=plan.snapshot(),
    )


def change_plan(session: Session, *, actor: Actor, return_plan_id: int, **changes):
    """Change a plan's interval or switch it off (tasks already created stay)."""
    plan = session.get(ReturnVisitPlan, return_plan_id, with_for_update=True)
    if plan is None:
        raise NotFound(f"Return-visit plan {return_plan_id} not found")
    with audited(session, actor, plan, "return_plan.changed"):
        plan.change(**changes)
    return plan


def list_return_visits(
    session: Session,
    actor: Actor,
    *,
    sort: str = "due_at",
    limit: int = 50,
    after: str | None = None,
    status: str | None = None,
    return_plan_id: int | None = None,
    customer_id: int | None = None,
) -> Page:
    """One page of the return visits of the actor's regions, the most urgent first."""
    query = (
        select(ReturnVisit)
        .join(ServiceRequest, ServiceRequest.id == ReturnVisit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(access.region_clause(actor, Site.region_id))
    )
    for column, value in (
        (ReturnVisit.status, status),
        (ReturnVisit.plan_id, return_plan_id),
        (ReturnVisit.customer_id, customer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return paginate(session, query, sorts=RETURN_VISIT_SORTS, sort=sort, limit=limit, after=after)


def get_return_visit(
    session: Session, return_visit_id: int, *, actor: Actor, lock: bool = False
) -> ReturnVisit:
    """Load a return visit whose job the actor may see, or raise NotFound."""
    task = session.get(ReturnVisit, return_visit_id, with_for_update=lock)
    if task is None:
        raise NotFound(f"Return visit {return_visit_id} not found")
    try:
        get_request(session, task.request_id, actor=actor)
    except NotFound:
        raise NotFound(f"Return visit {return_visit_id} not found") from None
    return task


def record_outcome(
    session: Session, *, actor: Actor, return_visit_id: int, outcome: str, note: str | None
) -> ReturnVisit:
    """Record the outcome of a return-visit call; a done one answers 409."""
    task = get_return_visit(session, return_visit_id, actor=actor, lock=True)
    with audited(session, actor, task, "return_visit.done"):
        task.record_outcome(outcome=outcome, note=note, by_id=actor.id, at=utcnow())
    return task
