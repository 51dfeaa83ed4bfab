"""Use cases of the service plan (INT-12): draft, propose, agree or reject, and the dispatch gate.

Staff draft and propose; the customer agrees (同意方案) or rejects on the plan link, or an agent
records it on their behalf. Dispatch asks `ensure_dispatchable` before assigning a technician.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor, customer_actor
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict, LinkInvalid, NotFound
from dispatch.intake.service import get_request
from dispatch.notifications.service import queue_sms
from dispatch.serviceplans import rules
from dispatch.serviceplans.models import ServicePlan

LINK_SALT = "service-plan-link-v1"


def get_plan(session: Session, request_id: int, *, actor: Actor) -> ServicePlan:
    """Load the plan of a request the actor may see, or raise NotFound."""
    request = get_request(session, request_id, actor=actor)
    plan = _plan_of(session, request.id)
    if plan is None:
        raise NotFound(f"Request {request.number} has no service plan")
    return plan


def shown_with_visit(session: Session, request_id: int) -> ServicePlan | None:
    """The plan the customer's appointment page shows beside the visit (the link is the key)."""
    return _plan_of(session, request_id)


def _plan_of(session: Session, request_id: int, *, lock: bool = False) -> ServicePlan | None:
    query = select(ServicePlan).where(ServicePlan.request_id == request_id)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def draft(
    *,
    session: Session,
    actor: Actor,
    request_id: int,
    remedy: str,
    estimate_cents: int | None = None,
    estimate_minutes: int | None = None,
) -> ServicePlan:
    """Write the plan's remedy and estimate; the first draft creates the plan."""
    request = get_request(session, request_id, actor=actor)
    problem = rules.draft_problem(request.request_type, request.status)
    if problem:
        raise Conflict(f"No service plan: {problem[1]}", error_code=problem[0])
    plan = _plan_of(session, request.id, lock=True)
    now = utcnow()
    content = {
        "remedy": remedy,
        "estimate_cents": estimate_cents,
        "estimate_minutes": estimate_minutes,
    }
    if plan is None:
        plan = ServicePlan(request_id=request.id, drafted_at=now, drafted_by_id=actor.id, **content)
        return audit.add_created(
            session,
            actor=actor,
            obj=plan,
            action="service_plan.drafted",
            entity=ServicePlan.audit_entity,
            after=plan.snapshot() | {"status": rules.PlanStatus.DRAFTING},
        )
    with audit.audited(session, actor, plan, "service_plan.redrafted"):
        plan.draft(by_user_id=actor.id, at=now, **content)
    return plan


def propose(*, session: Session, actor: Actor, config: Config, request_id: int) -> ServicePlan:
    """Send the drafted plan to the customer by SMS with a link to agree or reject it."""
    plan = get_plan(session, request_id, actor=actor)
    request, now = plan.request, utcnow()
    with audit.audited(session, actor, plan, "service_plan.proposed"):
        plan.propose(
            service_class=request.service_class,
            link_jti=secrets.token_urlsafe(24),
            at=now,
            expires_at=now + rules.LINK_LIFETIME,
        )
    queue_sms(
        session,
        customer=request.customer,
        template="service_plan_proposed",
        number=request.number,
        remedy=plan.remedy[:120],
        cost=rules.money_text(plan.estimate_cents),
        minutes=plan.estimate_minutes if plan.estimate_minutes is not None else "-",
        link=link_url(config, plan),
    )
    return plan


def agree_for_customer(*, session: Session, actor: Actor, request_id: int) -> ServicePlan:
    """An agent records the customer's agreement given by phone or in person."""
    plan = get_plan(session, request_id, actor=actor)
    with audit.audited(session, actor, plan, "service_plan.agreed"):
        plan.agree(via="agent", by_user_id=actor.id, at=utcnow())
    return plan


def reject_for_customer(
    *, session: Session, actor: Actor, request_id: int, reason: str
) -> ServicePlan:
    """An agent records that the customer rejected the plan: it goes back to drafting."""
    plan = get_plan(session, request_id, actor=actor)
    with audit.audited(session, actor, plan, "service_plan.rejected", extra={"reason": reason}):
        plan.reject(reason=reason, at=utcnow())
    return plan


def link_token(config: Config, plan: ServicePlan) -> str:
    """Return the signed token of the plan's current link."""
    return URLSafeSerializer(config.secret_key, salt=LINK_SALT).dumps(plan.link_jti)


def link_url(config: Config, plan: ServicePlan) -> str:
    return f"{config.public_base_url}/p/{link_token(config, plan)}"


def plan_of_link(session: Session, config: Config, token: str) -> ServicePlan:
    """Return the plan behind a link token, or raise LinkInvalid saying why."""
    try:
        jti = URLSafeSerializer(config.secret_key, salt=LINK_SALT).loads(token)
    except BadSignature as exc:
        raise LinkInvalid("This link is not valid", error_code="link_tampered") from exc
    plan = session.scalars(select(ServicePlan).where(ServicePlan.link_jti == jti)).one_or_none()
    if plan is None:
        raise LinkInvalid("This link is not valid", error_code="link_unknown")
    if plan.proposed and plan.link_expires_at <= utcnow():
        raise LinkInvalid("This link has expired", error_code="link_expired")
    return plan


def agree_by_link(session: Session, config: Config, token: str) -> ServicePlan:
    """The customer agrees on the link; agreeing twice changes nothing."""
    plan = _open_for_decision(session, config, token)
    if plan.agreed:
        return plan
    actor = customer_actor(plan.request.customer_id)
    with audit.audited(session, actor, plan, "service_plan.agreed"):
        plan.agree(via="link", by_user_id=None, at=utcnow())
    return plan


def reject_by_link(session: Session, config: Config, token: str, reason: str) -> ServicePlan:
    """The customer rejects on the link, saying why: the plan goes back to drafting."""
    plan = _open_for_decision(session, config, token)
    actor = customer_actor(plan.request.customer_id)
    with audit.audited(session, actor, plan, "service_plan.rejected", extra={"reason": reason}):
        plan.reject(reason=reason, at=utcnow())
    return plan


def _open_for_decision(session: Session, config: Config, token: str) -> ServicePlan:
    plan = plan_of_link(session, config, token)
    session.refresh(plan, with_for_update=True)  # one decision at a time
    return plan


def ensure_dispatchable(session: Session, request_id: int) -> None:
    """Refuse to dispatch a job whose proposed service plan the customer has not agreed."""
    status = session.scalar(select(ServicePlan.status).where(ServicePlan.request_id == request_id))
    if rules.blocks_dispatch(status):
        raise Conflict(
            "The customer has not agreed to the service plan yet (同意方案); it cannot be "
            "dispatched",
            error_code="service_plan_not_agreed",
            details={"plan_status": status},
        )
