"""A complaint's handling: respond, transfer, investigate, plan, resolve, follow up, close."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint, ComplaintTransfer
from dispatch.complaints.rules import ComplaintStatus as C
from dispatch.complaints.service import get_complaint, staff_user, start_clock
from dispatch.config import Config
from dispatch.errors import Conflict, RuleViolation

RESPONSES = {"first": "first_response", "verification": "verification", "second": "second_response"}


def _audited(session: Session, actor: Actor, complaint: Complaint, action: str, change, **extra):
    with audited(session, actor, complaint, f"complaint.{action}", extra=extra):
        change()
    return complaint


def respond(
    *,
    session: Session,
    actor: Actor,
    complaint_id: int,
    kind: str,
    message: str,
    estimated_resolution_at: datetime | None = None,
) -> Complaint:
    """Record a response to the customer; it stops the matching SLA clock (CMP-7)."""
    complaint = get_complaint(session, complaint_id, lock=True)
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
    return _audited(
        session,
        actor,
        complaint,
        f"responded.{kind}",
        lambda: clock.meet(utcnow()),
        message=message,
        estimated_resolution_at=estimate,
    )


def transfer(
    *, session: Session, actor: Actor, complaint_id: int, to_user_id: int, reason: str
) -> Complaint:
    """Hand the complaint to another handler; the first-responsible owner stays (CMP-2, CMP-3)."""
    complaint = get_complaint(session, complaint_id, lock=True)
    return _hand_over(session, actor, complaint, to_user_id, reason, "transferred")


def forward(
    *, session: Session, actor: Actor, complaint_id: int, to_user_id: int, reason: str
) -> Complaint:
    """Pass a complaint taken outside customer service to it; stops the 30-min clock (CMP-5)."""
    complaint = get_complaint(session, complaint_id, lock=True)
    clock = complaint.clock("forwarding")
    if clock is None or clock.met_at is not None:
        raise Conflict("This complaint has nothing to forward", error_code="not_forwardable")
    clock.meet(utcnow())
    return _hand_over(session, actor, complaint, to_user_id, reason, "forwarded")


def _hand_over(session, actor, complaint: Complaint, to_user_id: int, reason: str, action: str):
    if not complaint.is_open:
        raise Conflict("A closed complaint keeps its handler", error_code="complaint_closed")
    if to_user_id == complaint.owner_id:
        raise Conflict("That person already handles this complaint", error_code="same_handler")
    staff_user(session, to_user_id, "to_user_id")
    record = ComplaintTransfer(
        from_owner_id=complaint.owner_id, to_owner_id=to_user_id, reason=reason, by_user_id=actor.id
    )

    def change():
        complaint.transfers.append(record)
        complaint.owner_id = to_user_id

    return _audited(session, actor, complaint, action, change, reason=reason)


def investigate(
    *, session: Session, actor: Actor, complaint_id: int, authentic: bool, severity: str, cause: str
) -> Complaint:
    """Record the investigation: is it true, how severe, why (CMP-12)."""
    complaint = get_complaint(session, complaint_id, lock=True)

    def change():
        if not complaint.investigating:
            complaint.move(C.INVESTIGATING)  # from received; any later state is refused
        complaint.authentic, complaint.severity, complaint.cause = authentic, severity, cause

    return _audited(session, actor, complaint, "investigated", change, authentic=authentic)


def propose_plan(
    *,
    session: Session,
    actor: Actor,
    complaint_id: int,
    steps: str,
    deadline: datetime,
    remedies: list[str],
    responsible_user_id: int,
) -> Complaint:
    """Propose a resolution plan with steps, deadline, remedy and a responsible person (CMP-13)."""
    complaint = get_complaint(session, complaint_id, lock=True)
    if deadline <= utcnow():
        raise RuleViolation(
            "The plan's deadline must lie in the future",
            error_code="bad_deadline",
            details={"deadline": ["not in the future"]},
        )
    staff_user(session, responsible_user_id, "responsible_user_id")

    def change():
        complaint.move(C.SOLUTION_PROPOSED)
        complaint.plan_steps, complaint.plan_deadline = steps, deadline
        complaint.plan_remedies, complaint.plan_responsible_id = remedies, responsible_user_id

    return _audited(session, actor, complaint, "plan_proposed", change, remedies=remedies)


def record_decision(
    *, session: Session, actor: Actor, complaint_id: int, accepted: bool, note: str | None = None
) -> Complaint:
    """Record whether the customer agreed to the plan; a refusal reopens the investigation."""
    complaint = get_complaint(session, complaint_id, lock=True)

    def change():
        complaint.move(C.RESOLVING if accepted else C.INVESTIGATING)
        complaint.plan_accepted_at = utcnow() if accepted else None

    action = "plan_accepted" if accepted else "plan_rejected"
    return _audited(session, actor, complaint, action, change, note=note)


def resolve(
    *, session: Session, actor: Actor, config: Config, complaint_id: int, resolution: str
) -> Complaint:
    """Record the implemented resolution; the 24-hour satisfaction clock starts (FUP-7)."""
    complaint = get_complaint(session, complaint_id, lock=True)

    def change():
        complaint.move(C.RESOLVED)
        complaint.resolution, complaint.resolved_at = resolution, utcnow()

    _audited(session, actor, complaint, "resolved", change)
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
    complaint_id: int,
    satisfied: bool,
    recurred: bool,
    note: str | None = None,
) -> Complaint:
    """Record the customer's answer after resolution; a recurrence reopens the investigation."""
    complaint = get_complaint(session, complaint_id, lock=True)

    def change():
        complaint.move(C.FOLLOW_UP)
        complaint.followup_satisfied, complaint.followup_note = satisfied, note
        complaint.followed_up_at = utcnow()
        complaint.clock("followup").meet(complaint.followed_up_at)
        if recurred:
            complaint.move(C.INVESTIGATING)

    return _audited(session, actor, complaint, "followed_up", change, satisfied=satisfied)


def close(
    *, session: Session, actor: Actor, complaint_id: int, customer_feedback: str
) -> Complaint:
    """Close a complaint that has a resolution, its follow-up and a reply to the customer."""
    complaint = get_complaint(session, complaint_id, lock=True)

    def change():
        complaint.move(C.CLOSED)  # only from follow_up: the FUP-7 result exists (CMP-19)
        complaint.customer_feedback, complaint.closed_at = customer_feedback, utcnow()

    return _audited(session, actor, complaint, "closed", change)
