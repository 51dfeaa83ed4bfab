"""The return-visit sweep: each active plan creates the return visits that fell due (FUP-9).

Jobs of the plan's service class or product count from their completion (the latest completed
visit); only a customer's latest such job counts, and a customer with an open return visit of
the plan gets no second one. The unique (plan, job, due time) and the plan's row lock make a
sweep that runs twice, or on two workers, create each task once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from dispatch.actors import SYSTEM
from dispatch.alerts import service as alerts
from dispatch.audit import add_created
from dispatch.config import Config
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JobStatus
from dispatch.returnvisits import rules
from dispatch.returnvisits.models import ReturnVisit, ReturnVisitPlan
from dispatch.returnvisits.rules import ReturnVisitOutcome, ReturnVisitStatus
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

BATCH = 200
FINISHED_JOBS = (JobStatus.COMPLETED, JobStatus.CLOSED)


def active_plans(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return the plans switched on (none by default: return visits are off)."""
    return list(session.scalars(select(ReturnVisitPlan.id).where(ReturnVisitPlan.active)))


def _completions():
    """Each finished job with the time its last completed visit ended."""
    return (
        select(Visit.request_id, func.max(Visit.completed_at).label("completed_at"))
        .where(Visit.status == VisitStatus.COMPLETED, Visit.completed_at.is_not(None))
        .group_by(Visit.request_id)
        .subquery()
    )


def _candidates(plan: ReturnVisitPlan, cutoff: datetime):
    """Latest finished jobs of the plan's key per customer, with the last task's due time."""
    done, later_done = _completions(), _completions()
    later = aliased(ServiceRequest)

    def key(request):
        if plan.service_class is not None:
            return request.service_class == plan.service_class
        return request.product_model == plan.product_model

    last_due = (
        select(func.max(ReturnVisit.due_at))
        .where(ReturnVisit.plan_id == plan.id, ReturnVisit.request_id == ServiceRequest.id)
        .scalar_subquery()
    )
    newer_job = (
        select(later.id)
        .join(later_done, later_done.c.request_id == later.id)
        .where(
            later.customer_id == ServiceRequest.customer_id,
            later.status.in_(FINISHED_JOBS),
            key(later),
            later_done.c.completed_at > done.c.completed_at,
        )
    )
    # An open task waits for its call; a customer who declined gets no more of this plan.
    open_or_declined = select(ReturnVisit.id).where(
        ReturnVisit.plan_id == plan.id,
        ReturnVisit.customer_id == ServiceRequest.customer_id,
        or_(
            ReturnVisit.status == ReturnVisitStatus.DUE,
            ReturnVisit.outcome == ReturnVisitOutcome.DECLINED,
        ),
    )
    anchor = func.coalesce(last_due, done.c.completed_at)
    return (
        select(ServiceRequest, done.c.completed_at, last_due)
        .join(done, done.c.request_id == ServiceRequest.id)
        .where(
            ServiceRequest.status.in_(FINISHED_JOBS),
            key(ServiceRequest),
            ~exists(newer_job),
            ~exists(open_or_declined),
            and_(anchor <= cutoff),
        )
        .order_by(ServiceRequest.id)
        .limit(BATCH)
    )


def create_due(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Create the plan's return visits that are due by now; return how many."""
    plan = session.get(ReturnVisitPlan, item_id, with_for_update=True)
    if plan is None or not plan.active:
        return "skipped"
    cutoff = rules.add_months(now, -plan.interval_months)
    created = 0
    for request, completed_at, last_due in session.execute(_candidates(plan, cutoff)):
        due = rules.next_due(
            completed_at=completed_at, last_due=last_due, interval_months=plan.interval_months
        )
        if due > now:
            continue
        task = ReturnVisit(
            plan_id=plan.id,
            request_id=request.id,
            customer_id=request.customer_id,
            due_at=due,
            owner_id=request.owner_id,
        )
        add_created(
            session,
            actor=SYSTEM,
            obj=task,
            action="return_visit.created",
            entity="return_visit",
            after={"plan_id": plan.id, "due_at": due.isoformat()},
        )
        alerts.alert(
            session,
            [request.owner_id],
            kind="return_visit.due",
            message=f"Periodic return visit due: call the customer of job {request.number}",
        )
        created += 1
    return f"created:{created}"
