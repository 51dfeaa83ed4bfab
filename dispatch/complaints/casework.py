"""Work around a complaint: assist requests (CMP-12), linked jobs and the service report
(CMP-15), special notes (CMP-20), compensation (CMP-21) and the handler routes (CMP-4)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import (
    Compensation,
    ComplaintAssist,
    ComplaintJob,
    ComplaintRoute,
    SpecialNote,
)
from dispatch.complaints.rules import Role
from dispatch.complaints.service import get_complaint_for, staff_user
from dispatch.complaints.workflow import step
from dispatch.config import Config
from dispatch.customers.service import get_customer
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake import service as intake
from dispatch.visits.service import get_visit

APPROVERS = (Role.DEPARTMENT_HEAD, Role.CS_MANAGER, Role.VP_IN_CHARGE, Role.GENERAL_MANAGER)


def _hard(complaint: Complaint) -> None:
    if complaint.nature != "hard":
        raise RuleViolation(
            "Only a hard complaint has inspection jobs and a service report",
            error_code="not_hard",
            details={"nature": [complaint.nature]},
        )


def request_assist(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    department: str,
    request: str,
    due_at: datetime,
) -> Complaint:
    """Send an assist-investigation request (协查通知) to a department (CMP-12)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    if due_at <= utcnow():
        raise RuleViolation(
            "The assist request's due time must lie in the future",
            error_code="bad_deadline",
            details={"due_at": ["not in the future"]},
        )
    assist = ComplaintAssist(
        department=department, request=request, due_at=due_at, requested_by_id=actor.id
    )
    change = lambda: complaint.assists.append(assist)  # noqa: E731
    return step(
        session, actor, config, complaint, "assist_requested", change, department=department
    )


def complete_assist(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    assist_id: int,
    answer: str,
) -> Complaint:
    """Record a department's answer to an assist request; it is then done (CMP-12)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    assist = next((a for a in complaint.assists if a.id == assist_id), None)
    if assist is None:
        raise NotFound(f"Assist request {assist_id} not found on this complaint")
    if assist.done_at is not None:
        raise Conflict("This assist request is already done", error_code="assist_done")
    with audited(session, actor, assist, "complaint_assist.done"):
        assist.answer, assist.done_at = answer, utcnow()
    return complaint


def create_job(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    kind: str,
    site_id: int,
    fault_description: str,
    asset_id: int | None = None,
) -> Complaint:
    """Create an inspection or repair job linked to a hard complaint (CMP-15)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    _hard(complaint)
    linked = (
        intake.get_request(session, complaint.request_id, actor=actor)
        if complaint.request_id
        else None
    )
    category = linked.category if linked else "other"
    job = intake.register_request(
        session=session,
        actor=actor,
        timezone=complaint.timezone,
        customer_id=complaint.customer_id,
        site_id=site_id,
        asset_id=asset_id,
        request_type=kind,
        channel="internal",
        category=category,
        service_class="C",
        priority=complaint.priority,
        fault_description=f"Complaint {complaint.number}: {fault_description}",
    )
    change = lambda: complaint.jobs.append(ComplaintJob(request=job))  # noqa: E731
    return step(session, actor, config, complaint, "job_created", change, request_id=job.id)


def report(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    complaint_id: int,
    cause: str,
    fix: str,
    prevention: str,
) -> Complaint:
    """Record the service report for head office: cause, fix, prevention (CMP-15)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    _hard(complaint)

    def change():
        complaint.report_cause, complaint.report_fix = cause, fix
        complaint.report_prevention, complaint.reported_at = prevention, utcnow()

    return step(session, actor, config, complaint, "reported", change)


def service_reports(
    session: Session, actor: Actor, *, before: int | None = None, limit: int = 50
) -> list[Complaint]:
    """List the service reports of hard complaints for head office, newest first (CMP-15)."""
    query = (
        select(Complaint)
        .options(selectinload(Complaint.jobs).selectinload(ComplaintJob.request))
        .where(
            Complaint.reported_at.is_not(None),
            or_(Complaint.region_id.is_(None), access.region_clause(actor, Complaint.region_id)),
        )
        .order_by(Complaint.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Complaint.id < before)
    return list(session.scalars(query))


def add_note(
    *, session: Session, actor: Actor, config: Config, complaint_id: int, note: str
) -> SpecialNote:
    """Attach a special note (特别记录) to the complaint's customer (CMP-20)."""
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    record = SpecialNote(
        customer_id=complaint.customer_id,
        complaint_id=complaint.id,
        note=note,
        created_by_id=actor.id,
    )
    step(session, actor, config, complaint, "special_note", lambda: session.add(record))
    return record


def notes_of_customer(session: Session, customer_id: int, *, actor: Actor) -> list[SpecialNote]:
    """Return a customer's special notes, newest first (staff only; never customer pages)."""
    get_customer(session, customer_id, actor=actor)
    return _notes(session, customer_id)


def _notes(session: Session, customer_id: int) -> list[SpecialNote]:
    return list(
        session.scalars(
            select(SpecialNote)
            .where(SpecialNote.customer_id == customer_id)
            .order_by(SpecialNote.id.desc())
        )
    )


def own_visit(session: Session, actor: Actor, visit_id: int):
    """Load a visit; a technician only one of their own."""
    return get_visit(session, visit_id, actor=actor)


def notes_for_request(session: Session, actor: Actor, request_id: int) -> list[SpecialNote]:
    """Return the special notes of a job's customer, for dispatchers of its region (CMP-20)."""
    request = intake.get_request(session, request_id, actor=actor)
    return _notes(session, request.customer_id)


def notes_for_visit(session: Session, actor: Actor, visit_id: int) -> list[SpecialNote]:
    """Return the special notes of a visit's customer, for its own technician (CMP-20)."""
    return _notes(session, own_visit(session, actor, visit_id).request.customer_id)


def compensate(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    kind: str,
    amount_cents: int,
    reason: str,
    approver_id: int,
    complaint_id: int | None = None,
    request_id: int | None = None,
) -> Compensation:
    """Record compensation on a complaint or a job; on a complaint it is a trigger (CMP-21, 9)."""
    if (complaint_id is None) == (request_id is None):
        raise RuleViolation(
            "Compensation belongs to exactly one complaint or job",
            error_code="complaint_or_job",
            details={"complaint_id": ["give complaint_id or request_id, not both"]},
        )
    approver = staff_user(session, approver_id, "approver_id")
    if approver.role not in APPROVERS:
        raise RuleViolation(
            "The approver must be a department head or above",
            error_code="approver_invalid",
            details={"approver_id": [f"role {approver.role} may not approve"]},
        )
    record = Compensation(
        kind=kind,
        amount_cents=amount_cents,
        reason=reason,
        approver_id=approver.id,
        recorded_by_id=actor.id,
        request_id=intake.get_request(session, request_id, actor=actor).id if request_id else None,
    )
    if complaint_id is None:
        after = record.snapshot() | {"request_id": request_id}
        return audit.add_created(
            session,
            actor=actor,
            obj=record,
            action="compensation.recorded",
            entity="compensation",
            after=after,
        )
    complaint = get_complaint_for(session, actor, complaint_id, lock=True)
    change = lambda: complaint.compensations.append(record)  # noqa: E731
    step(session, actor, config, complaint, "compensated", change, amount_cents=amount_cents)
    return record


def set_route(
    *,
    session: Session,
    category: str | None,
    department: str | None,
    handler_id: int,
) -> ComplaintRoute:
    """Route complaints of a category and/or about a department to a handler (CMP-4)."""
    staff_user(session, handler_id, "handler_id")
    session.execute(
        delete(ComplaintRoute).where(
            ComplaintRoute.category.is_not_distinct_from(category),
            ComplaintRoute.department.is_not_distinct_from(department),
        )
    )
    route = ComplaintRoute(category=category, department=department, handler_id=handler_id)
    session.add(route)
    session.flush()
    return route


def list_routes(session: Session) -> list[ComplaintRoute]:
    return list(session.scalars(select(ComplaintRoute).order_by(ComplaintRoute.id)))
