"""A complaint's handling: respond, transfer, forward, investigate, plan, resolve, follow up,
close. Every step goes through `step`: audited, triggers re-evaluated, people told."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.attachments import service as attachments
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints import notices, rules
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import ComplaintEvidence
from dispatch.complaints.rules import ComplaintStatus as C
from dispatch.complaints.service import get_complaint_for, staff_user, start_clock
from dispatch.config import Config
from dispatch.errors import Conflict, RuleViolation

RESPONSES = {"first": "first_response", "verification": "verification", "second": "second_response"}


def step(session, actor, config, complaint: Complaint, action: str, change, tell="", **extra):
    """Run one audited change, then re-evaluate triggers and tell the people (CMP-2/9/18)."""
    before = len(complaint.steps)
    with audited(session, actor, complaint, f"complaint.{action}", extra=extra):
        change()
    moves = [s.status for s in complaint.steps[before:]]
    notices.after_change(session, config, complaint, moves, tell)
    return complaint


def respond(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    kind: str,
    message: str,
    estimated_resolution_at: datetime | None = None,
) -> Complaint:
    """Record a response to the customer; it stops the matching SLA clock (CMP-7)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    clock = complaint.clock(RESPONSES[kind])
    if clock is None:
        raise RuleViolation(
            f"A {complaint.nature} complaint has no {kind} response",
            error_code="response_not_applicable",
            details={"kind": [f"not used for {complaint.nature} complaints"]},
        )
    if kind == "second" and estimated_resolution_at is None:
        raise RuleViolation(
            "The second response must give an estimated resolution time",
            error_code="estimate_required",
            details={"estimated_resolution_at": ["required for the second response"]},
        )
    estimate = estimated_resolution_at.isoformat() if estimated_resolution_at else None
    return step(
        session,
        actor,
        config,
        complaint,
        f"responded.{kind}",
        lambda: clock.meet(utcnow()),
        message=message,
        estimated_resolution_at=estimate,
    )


def transfer(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    to_user_id: int,
    reason: str,
) -> Complaint:
    """Hand the complaint to another handler; the first-responsible owner stays (CMP-2, CMP-3)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    return _hand_over(session, actor, config, complaint, to_user_id, reason, "transferred")


def forward(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    to_user_id: int,
    reason: str,
) -> Complaint:
    """Pass a complaint taken outside customer service to it within 30 min (CMP-5)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    clock = _forwarding_clock(complaint)
    now = utcnow()

    def register():
        clock.meet(now)
        complaint.move(C.REGISTERED, now)

    _hand_over(session, actor, config, complaint, to_user_id, reason, "forwarded", register)
    start_clock(session, config, complaint, "case_decision", now)
    return complaint


def resolve_on_spot(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    resolution: str,
    remedies: list[str],
) -> Complaint:
    """Mark a complaint taken outside customer service resolved on the spot (CMP-5)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    clock = _forwarding_clock(complaint)
    now = utcnow()

    def change():
        clock.meet(now)
        complaint.move(C.RESOLVED, now)
        complaint.plan_steps, complaint.plan_remedies = resolution, remedies
        complaint.plan_deadline, complaint.plan_responsible_id = now, actor.id
        complaint.plan_accepted_at, complaint.plan_accepted_via = now, "agent"
        complaint.resolution, complaint.resolved_at = resolution, now
        _meet(complaint, "resolution", now)

    step(session, actor, config, complaint, "resolved_on_spot", change)
    start_clock(session, config, complaint, "followup", now)
    return complaint


def _forwarding_clock(complaint: Complaint):
    clock = complaint.clock("forwarding")
    if clock is None or clock.met_at is not None or complaint.status != C.RECEIVED:
        raise Conflict("This complaint has nothing to forward", error_code="not_forwardable")
    return clock


def _meet(complaint: Complaint, name: str, at: datetime) -> None:
    clock = complaint.clock(name)
    if clock is not None:
        clock.meet(at)


def _hand_over(session, actor, config, complaint: Complaint, to_user_id, reason, action, also=None):
    if not complaint.is_open:
        raise Conflict("A closed complaint keeps its handler", error_code="complaint_closed")
    if to_user_id == complaint.owner_id:
        raise Conflict("That person already handles this complaint", error_code="same_handler")
    staff_user(session, to_user_id, "to_user_id")

    def change():
        if also is not None:
            also()
        complaint.hand_to(to_user_id, reason, actor.id)

    return step(session, actor, config, complaint, action, change, reason=reason)


def investigate(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    authentic: bool,
    severity: str,
    cause: str,
    responsible_party: str | None = None,
    evidence: list[dict] | None = None,
    evidence_attachment_ids: list[int] | None = None,
    major_triggers: list[str] | None = None,
    damage_cents: int | None = None,
) -> Complaint:
    """Record the investigation: true or not, evidence, cause, responsible party (CMP-12).

    Evidence files are attachments uploaded to the complaint, its job or its visit (INT-16).
    """
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    files = _evidence_files(session, complaint, evidence_attachment_ids or [])

    def change():
        if complaint.status != C.INVESTIGATING:
            complaint.move(C.INVESTIGATING)  # from assigned (or reopened); later states refused
        if not complaint.supervised_by_cs:  # a major complaint stays major
            complaint.severity = severity
        complaint.authentic, complaint.cause = authentic, cause
        complaint.responsible_party = responsible_party
        complaint.evidence = [*complaint.evidence, *(evidence or [])]
        complaint.major_triggers = [*complaint.major_triggers, *(major_triggers or [])]
        if damage_cents is not None:
            complaint.damage_cents = damage_cents
        linked = {e.attachment_id for e in complaint.evidence_files}
        for attachment in files:
            if attachment.id not in linked:
                complaint.evidence_files.append(
                    ComplaintEvidence(attachment=attachment, linked_by_id=actor.id)
                )

    files_linked = [a.id for a in files]
    return step(
        session,
        actor,
        config,
        complaint,
        "investigated",
        change,
        authentic=authentic,
        evidence_attachment_ids=files_linked,
    )


def _evidence_files(session: Session, complaint: Complaint, ids: list[int]):
    """Load the attachments named as evidence; each must hang on this case (422 otherwise)."""
    wanted = list(dict.fromkeys(ids))
    found = {a.id: a for a in attachments.attachments_of(session, wanted)}
    owners = {("complaint", complaint.id)}
    owners |= {("request", complaint.request_id)} if complaint.request_id else set()
    owners |= {("visit", complaint.visit_id)} if complaint.visit_id else set()
    foreign = [
        i
        for i in wanted
        if i not in found or (found[i].owner_kind, found[i].owner_id) not in owners
    ]
    if foreign:
        raise RuleViolation(
            "Evidence must be a file uploaded to this complaint, its job or its visit",
            error_code="evidence_not_on_case",
            details={"evidence_attachment_ids": [f"not on this complaint: {foreign}"]},
        )
    return [found[i] for i in wanted]


def propose_plan(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    steps: str,
    deadline: datetime,
    remedies: list[str],
    responsible_user_id: int,
) -> Complaint:
    """Propose a solution: steps, deadline, remedy and a responsible person (CMP-13)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    if complaint.solution_final:
        raise Conflict("A general manager has decided this complaint", error_code="solution_final")
    check_plan(session, deadline, responsible_user_id)

    def change():
        complaint.move(C.SOLUTION_PROPOSED)
        set_plan(complaint, steps, deadline, remedies, responsible_user_id)

    return step(session, actor, config, complaint, "plan_proposed", change, remedies=remedies)


def check_plan(session: Session, deadline: datetime, responsible_user_id: int) -> None:
    """Refuse a plan whose deadline has passed or whose responsible person is not staff."""
    if deadline <= utcnow():
        raise RuleViolation(
            "The plan's deadline must lie in the future",
            error_code="bad_deadline",
            details={"deadline": ["not in the future"]},
        )
    staff_user(session, responsible_user_id, "responsible_user_id")


def set_plan(complaint: Complaint, steps, deadline, remedies, responsible_user_id) -> None:
    complaint.plan_steps, complaint.plan_deadline = steps, deadline
    complaint.plan_remedies, complaint.plan_responsible_id = remedies, responsible_user_id
    complaint.plan_accepted_at = complaint.plan_accepted_via = None


def resolve(
    *, session: Session, actor: Actor, config: Config, complaint_id: int, resolution: str
) -> Complaint:
    """Record the implemented resolution; the 24-hour satisfaction clock starts (FUP-7)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)

    def change():
        complaint.move(C.RESOLVED)
        complaint.resolution, complaint.resolved_at = resolution, utcnow()
        _meet(complaint, "resolution", complaint.resolved_at)

    step(session, actor, config, complaint, "resolved", change)
    clock = complaint.clock("followup")
    if clock is not None:  # a recurrence resolved again restarts the same clock
        length = clock.due_at - clock.started_at
        clock.started_at, clock.met_at, clock.breached_at = complaint.resolved_at, None, None
        clock.due_at = complaint.resolved_at + length
    else:
        start_clock(session, config, complaint, "followup", complaint.resolved_at)
    return complaint


def follow_up(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    satisfied: bool,
    recurred: bool,
    note: str | None = None,
) -> Complaint:
    """Record the customer's answer after resolution; a recurrence reopens the investigation."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)

    def change():
        complaint.move(C.FOLLOW_UP)
        complaint.followup_satisfied, complaint.followup_note = satisfied, note
        complaint.followed_up_at = utcnow()
        _meet(complaint, "followup", complaint.followed_up_at)
        if recurred:
            complaint.move(C.INVESTIGATING)

    return step(session, actor, config, complaint, "followed_up", change, satisfied=satisfied)


def close(
    *, session: Session, actor: Actor, config: Config, complaint_id: int, customer_feedback: str
) -> Complaint:
    """Close with solution, result, a reply to the customer and the follow-up (CMP-19)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    rules.COMPLAINT_LIFECYCLE.check(complaint.status, C.CLOSED)
    missing = rules.close_missing(
        has_solution=bool(complaint.plan_steps and complaint.plan_remedies),
        has_resolution=bool(complaint.resolution),
        followed_up=complaint.followup_satisfied is not None,
        feedback=customer_feedback,
    )
    if missing:
        raise RuleViolation(
            "The complaint cannot close yet",
            error_code="close_incomplete",
            details={name: ["missing"] for name in missing},
        )

    def change():
        complaint.move(C.CLOSED)
        complaint.customer_feedback, complaint.closed_at = customer_feedback, utcnow()

    return step(session, actor, config, complaint, "closed", change, tell=customer_feedback)
