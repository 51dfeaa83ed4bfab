"""Seed 002's governance of a complaint: case opening (CMP-11), the customer's answer and the
appeal (CMP-14), the general manager's decision, the review of a serious complaint (CMP-16)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.alerts import service as alerts
from dispatch.clock import utcnow
from dispatch.complaints import rules
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import ComplaintAppeal
from dispatch.complaints.rules import ComplaintStatus as C
from dispatch.complaints.rules import Role
from dispatch.complaints.service import get_complaint_for, staff_user
from dispatch.complaints.workflow import check_plan, set_plan, step
from dispatch.config import Config
from dispatch.errors import Conflict, PermissionDenied, RuleViolation


def require_role(actor: Actor, *roles: str) -> None:
    """Refuse unless the actor holds one of `roles` (the general manager may always decide)."""
    if not actor.has_role(*roles, Role.GENERAL_MANAGER):
        raise PermissionDenied(
            "Your role may not decide this", details={"allowed_roles": [*roles, "general_manager"]}
        )


def decide_case(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    opened: bool,
    note: str,
    handler_id: int | None = None,
) -> Complaint:
    """Open the case or not (立案): the department head, a major one the VP (CMP-11)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    require_role(actor, rules.case_decider(complaint.severity))
    if handler_id is not None:
        staff_user(session, handler_id, "handler_id")
    now = utcnow()

    def change():
        complaint.move(C.CASE_OPENED if opened else C.NOT_OPENED, now)
        complaint.case_decided_at, complaint.case_decided_by_id = now, actor.id
        complaint.case_decision_note = note
        if (clock := complaint.clock("case_decision")) is not None:
            clock.meet(now)
        if not opened:
            return
        if handler_id is not None and handler_id != complaint.owner_id:  # CMP-4: audited
            complaint.hand_to(handler_id, f"Assigned on case opening: {note}"[:500], actor.id)
        complaint.move(C.ASSIGNED, now)

    action = "case_opened" if opened else "case_not_opened"
    return step(session, actor, config, complaint, action, change, tell=note)


def record_decision(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    accepted: bool,
    note: str | None = None,
    via: str = "agent",
) -> Complaint:
    """Record the customer's answer to the solution; a refusal opens an appeal (CMP-14)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    now = utcnow()
    if not accepted:
        return _open_appeal(session, actor, config, complaint, note, via)

    def change():
        complaint.move(C.ACCEPTED, now)
        complaint.move(C.RESOLVING, now)
        complaint.plan_accepted_at, complaint.plan_accepted_via = now, via

    return step(session, actor, config, complaint, "plan_accepted", change, note=note, via=via)


def _open_appeal(session, actor, config, complaint: Complaint, reason: str | None, via: str):
    if not reason:
        raise RuleViolation(
            "A rejection needs the customer's reason",
            error_code="reason_required",
            details={"note": ["required when the solution is rejected"]},
        )
    role = rules.superior(complaint.escalation_level, config.escalation_roles)

    def change():
        complaint.move(C.APPEALED)
        complaint.appeals.append(ComplaintAppeal(reason=reason, superior_role=role))

    step(session, actor, config, complaint, "appealed", change, reason=reason, via=via)
    targets = [complaint.owner_id, *alerts.users_with_role(session, role, complaint.region_id)]
    alerts.alert(
        session,
        targets,
        kind="complaint.appealed",
        message=f"Complaint {complaint.number}: the customer appeals the solution ({role})",
        complaint_id=complaint.id,
    )
    return complaint


def decide_appeal(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    evaluation: str,
    outcome: str,
    steps: str | None = None,
    deadline: datetime | None = None,
    remedies: list[str] | None = None,
    responsible_user_id: int | None = None,
) -> Complaint:
    """The handler's superior re-evaluates: a new solution or a new investigation (CMP-14)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    appeal = complaint.open_appeal
    if appeal is None or complaint.status != C.APPEALED:
        raise Conflict("This complaint has no open appeal", error_code="no_open_appeal")
    ladder = config.escalation_roles
    require_role(actor, *ladder[ladder.index(appeal.superior_role) :])
    plan = (steps, deadline, remedies, responsible_user_id)
    if outcome == "new_solution":
        if not all(plan):
            raise RuleViolation(
                "A new solution states steps, deadline, remedies and a responsible person",
                error_code="solution_incomplete",
                details={"steps": ["required with outcome new_solution"]},
            )
        check_plan(session, deadline, responsible_user_id)
    now = utcnow()

    def change():
        appeal.evaluation, appeal.outcome = evaluation, outcome
        appeal.decided_at, appeal.decided_by_id = now, actor.id
        if outcome == "new_solution":
            complaint.move(C.SOLUTION_PROPOSED, now)
            set_plan(complaint, *plan)
        else:
            complaint.move(C.INVESTIGATING, now)

    return step(session, actor, config, complaint, "appeal_decided", change, outcome=outcome)


def gm_decide(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    steps: str,
    deadline: datetime,
    remedies: list[str],
    responsible_user_id: int,
    note: str,
) -> Complaint:
    """A general manager's solution overrides every earlier one and is carried out (CMP-14)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    require_role(actor, Role.GENERAL_MANAGER)
    check_plan(session, deadline, responsible_user_id)
    now = utcnow()

    def change():
        complaint.move(C.RESOLVING, now)
        set_plan(complaint, steps, deadline, remedies, responsible_user_id)
        complaint.plan_accepted_at, complaint.plan_accepted_via = now, "gm"
        complaint.gm_decided_at, complaint.gm_decided_by_id = now, actor.id
        if (appeal := complaint.open_appeal) is not None:
            appeal.evaluation, appeal.outcome = note, "gm_decision"
            appeal.decided_at, appeal.decided_by_id = now, actor.id

    return step(session, actor, config, complaint, "gm_decided", change, tell=note)


def review(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    remedies: str,
    responsible: list[str],
) -> Complaint:
    """Record the review of a serious complaint: remedies and the people responsible (CMP-16)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    require_role(actor, *config.escalation_roles, Role.VP_IN_CHARGE)
    if complaint.severity != "major":
        raise RuleViolation(
            "Only a serious (major) complaint gets a review",
            error_code="not_major",
            details={"severity": ["general"]},
        )

    def change():
        complaint.review_remedies, complaint.review_responsible = remedies, responsible
        complaint.reviewed_at = utcnow()

    return step(session, actor, config, complaint, "reviewed", change)
