"""Schedule, send and answer the 24-hour follow-up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit, outbox
from dispatch.actors import SYSTEM, Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints import rules as complaint_rules
from dispatch.complaints import service as complaints
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from dispatch.followups import rules
from dispatch.followups.models import FollowUp
from dispatch.followups.rules import FollowUpStatus
from dispatch.intake.models import ServiceRequest
from dispatch.links import service as links
from dispatch.notifications.service import contact_window, queue_sms
from dispatch.opinions import service as opinions
from dispatch.visits.models import Visit
from dispatch.visits.service import get_visit


def schedule_for(session: Session, *, config: Config, visit: Visit, tz: str) -> FollowUp:
    """Plan the follow-up of a just-completed visit and queue its timed send, inside the
    contact window of the site's region (APT-13)."""
    region = visit.request.site.region if visit.request.site is not None else None
    window_start, window_end = contact_window(region, config)
    due_at, deadline_at = rules.followup_times(
        visit.completed_at,  # the device time the work ended: FUP-1 counts from it
        delay=timedelta(minutes=config.followup_delay_minutes),
        deadline=timedelta(hours=config.followup_deadline_hours),
        tz=tz,
        window_start=window_start,
        window_end=window_end,
    )
    followup = FollowUp(visit=visit, due_at=due_at, deadline_at=deadline_at)
    session.add(followup)
    session.flush()
    outbox.add(session, "followup.send", run_at=due_at, followup_id=followup.id)
    audit.record(
        session,
        actor=SYSTEM,
        action="followup.scheduled",
        entity="followup",
        entity_id=followup.id,
        after={"due_at": due_at.isoformat()},
    )
    return followup


def send(session: Session, *, config: Config, followup_id: int) -> str:
    """Send the survey link once; a follow-up already sent is left alone."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.id == followup_id).with_for_update()
    ).one()
    if not followup.due_to_send:
        return f"skipped:{followup.status}"
    visit = followup.visit
    now = utcnow()
    token = links.issue(
        session,
        secret_key=config.secret_key,
        purpose="followup",
        visit=visit,
        expires_at=now + timedelta(days=config.followup_link_days),
    )
    with audited(session, SYSTEM, followup, "followup.sent"):
        followup.mark_sent(now)
        if now > followup.deadline_at and followup.overdue_at is None:
            followup.overdue_at = followup.deadline_at
    queue_sms(
        session,
        customer=visit.request.customer,
        template="followup_survey",
        visit_id=visit.id,
        number=visit.number,
        link=links.page_url(config.public_base_url, token),
    )
    return "sent"


def answer(
    session: Session, *, actor: Actor, config: Config, visit: Visit, survey: dict, via="link"
) -> FollowUp:
    """Store a survey answer (link or phone); act on an unhappy one (FUP-3, FUP-5)."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.visit_id == visit.id).with_for_update()
    ).one()
    if followup.repeats_link_answer(survey, via):
        return followup  # the customer submitted the same page twice
    with audited(session, actor, followup, f"followup.answered_by_{via}"):
        followup.answer(survey, via=via, at=utcnow())
    visit.record_rating(followup.rating, followup.comment)
    opinions.route_followup_remark(session, actor=actor, followup=followup)
    _act_on_answer(session, actor, config, followup)
    return followup


def _act_on_answer(session: Session, actor: Actor, config: Config, followup: FollowUp) -> None:
    if not rules.unsatisfied(
        followup.rating, followup.problem_solved, config.unsatisfied_rating_max
    ):
        return
    request = followup.visit.request
    category, nature = complaint_rules.complaint_from_survey(
        {n: getattr(followup, n) for n in ("quality", "timeliness", "attitude")},
        followup.problem_solved,
    )
    complaints.open_complaint(
        session=session,
        actor=actor,
        config=config,
        customer_id=request.customer_id,
        owner_id=followup.phone_task_owner_id or request.owner_id,
        visit_id=followup.visit_id,
        followup_id=followup.id,
        channel="sms_link" if followup.answered_via == "link" else "phone",
        category=category,
        nature=nature,
        priority=request.priority,
        description=f"Follow-up answer {followup.rating}/5: {followup.comment or '-'}",
    )
    if followup.problem_solved is False:
        reopen_request(session, actor, request)


def reopen_request(session: Session, actor: Actor, request) -> None:
    """Put a completed or closed job back in the dispatch queue for a return visit (FUP-5)."""
    with audited(session, actor, request, "request.reopened"):
        request.reopen()


def record_phone_outcome(
    session: Session, *, actor: Actor, config: Config, followup_id: int, survey: dict
) -> FollowUp:
    """Enter the answers a customer gave on the phone task's call (FUP-4)."""
    followup = get_followup_for(session, actor, followup_id)
    followup.ensure_writable()
    if actor.role == "dispatcher" and followup.phone_task_owner_id not in (None, actor.id):
        raise PermissionDenied("This phone task belongs to another handler")
    answered = answer(
        session, actor=actor, config=config, visit=followup.visit, survey=survey, via="phone"
    )
    answered.outcome_by_id = actor.id
    return answered


FOLLOWUP_SORTS = {
    "-id": order((FollowUp.id, True)),
    "id": order((FollowUp.id, False)),
    "-due_at": order((FollowUp.due_at, True), (FollowUp.id, True)),
    "due_at": order((FollowUp.due_at, False), (FollowUp.id, False)),
}

# FollowUp.overdue in SQL: sent after its deadline, or marked overdue before any send (FUP-1).
OVERDUE = or_(
    and_(FollowUp.sent_at.is_not(None), FollowUp.sent_at > FollowUp.deadline_at),
    FollowUp.overdue_at.is_not(None),
)


def _visible(actor: Actor):
    """Follow-ups joined to their request's site, limited to the actor's regions."""
    return (
        select(FollowUp)
        .join(Visit, Visit.id == FollowUp.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(access.region_clause(actor, Site.region_id))
    )


def list_followups(
    session: Session,
    actor: Actor,
    *,
    sort: str = "-id",
    limit: int = 50,
    after: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    visit_id: int | None = None,
    customer_id: int | None = None,
    region_id: int | None = None,
) -> Page:
    """One page of the follow-ups of the actor's regions, newest first, filtered by status, the
    overdue flag (SLA report), visit, customer or region (issue 12)."""
    query = _visible(actor).options(
        selectinload(FollowUp.visit).selectinload(Visit.request).selectinload(ServiceRequest.site)
    )
    if status:
        query = query.where(FollowUp.status == FollowUpStatus(status))
    if overdue is not None:
        query = query.where(OVERDUE if overdue else ~OVERDUE)
    if visit_id is not None:
        query = query.where(FollowUp.visit_id == visit_id)
    if customer_id is not None:
        query = query.where(ServiceRequest.customer_id == customer_id)
    if region_id is not None:
        query = query.where(Site.region_id == region_id)
    return paginate(session, query, sorts=FOLLOWUP_SORTS, sort=sort, limit=limit, after=after)


def get_followup_for(
    session: Session, actor: Actor, followup_id: int, *, lock: bool = False
) -> FollowUp:
    """Load a follow-up whose visit the actor may see (the shared loader), or raise NotFound."""
    followup = session.get(FollowUp, followup_id, with_for_update=lock)
    if followup is None:
        raise NotFound(f"Follow-up {followup_id} not found")
    try:
        get_visit(session, followup.visit_id, actor=actor)
    except NotFound:
        raise NotFound(f"Follow-up {followup_id} not found") from None
    return followup


def delegate(
    session: Session, *, actor: Actor, followup_id: int, to_user_id: int, reason: str
) -> FollowUp:
    """The handler going off shift hands the phone follow-up to a named colleague (FUP-6)."""
    from dispatch.alerts import service as alerts
    from dispatch.users.models import User

    followup = get_followup_for(session, actor, followup_id, lock=True)
    followup.ensure_writable()
    if actor.role == "dispatcher" and followup.phone_task_owner_id not in (None, actor.id):
        raise PermissionDenied("Only the handler or a manager delegates this phone task")
    colleague = session.get(User, to_user_id)
    if colleague is None or not colleague.active or colleague.role == "technician":
        raise RuleViolation(
            "Delegate to an active staff colleague",
            error_code="bad_delegate",
            details={"to_user_id": ["unknown, inactive or not staff"]},
        )
    previous = followup.phone_task_owner_id
    with audited(
        session,
        actor,
        followup,
        "followup.delegated",
        extra={"from_user_id": previous, "to_user_id": colleague.id, "reason": reason},
    ):
        followup.delegate(colleague.id)
    alerts.alert(
        session,
        [colleague.id],
        kind="followup.delegated",
        message=f"Follow-up call of visit {followup.visit.number} delegated to you: {reason}",
        followup_id=followup.id,
    )
    return followup


def reopen_after_followup(
    session: Session, *, actor: Actor, config: Config, followup_id: int, reason: str
) -> FollowUp:
    """A dispatcher reopens the job after an unsatisfied follow-up (low rating or not solved),
    so a return visit is dispatched; the loop repeats until the customer is satisfied (FUP-5)."""
    followup = get_followup_for(session, actor, followup_id)
    answered = followup.answered_at is not None
    if not answered or not rules.unsatisfied(
        followup.rating, followup.problem_solved, config.unsatisfied_rating_max
    ):
        raise RuleViolation(
            "Only an unsatisfied follow-up reopens the job",
            error_code="followup_satisfied",
            details={"followup_id": ["not answered unsatisfied"]},
        )
    request = followup.visit.request
    with audited(session, actor, request, "request.reopened", extra={"reason": reason}):
        if not request.reopen():
            raise Conflict("The job is open already", error_code="job_open")
    return followup
