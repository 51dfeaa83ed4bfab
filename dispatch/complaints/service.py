"""Take in complaints from any channel or a bad rating; start their SLA clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch import audit, numbering
from dispatch.actors import Actor
from dispatch.alerts import service as alerts
from dispatch.clock import utcnow
from dispatch.complaints import rules
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.config import Config
from dispatch.customers.service import get_customer
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.service import queue_sms
from dispatch.users.models import User
from dispatch.visits.models import Visit
from dispatch.visits.service import get_visit, timezone_of


def open_complaint(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    customer_id: int,
    owner_id: int,
    received_at: datetime | None = None,
    visit_id: int | None = None,
    **fields,
) -> Complaint:
    """Register a complaint, start its clocks, tell the customer and the managers."""
    now = utcnow()
    received_at = received_at or now
    if received_at > now:
        raise RuleViolation(
            "A complaint cannot be received in the future",
            error_code="received_in_future",
            details={"received_at": ["after now"]},
        )
    customer = get_customer(session, customer_id)
    visit = _visit_of_customer(session, visit_id, customer.id)
    tz = timezone_of(visit, config) if visit else config.default_timezone
    complaint = Complaint(
        number=numbering.next_number(session, "CP", now, tz),
        customer=customer,
        visit_id=visit.id if visit else None,
        region_id=visit.request.site.region_id if visit and visit.request.site else None,
        timezone=tz,
        received_at=received_at,
        registered_at=now,
        first_owner_id=owner_id,
        owner_id=staff_user(session, owner_id, "owner_id").id,
        **fields,
    )
    audit.add_created(
        session,
        actor=actor,
        obj=complaint,
        action="complaint.received",
        entity="complaint",
        after=complaint.snapshot() | {"number": complaint.number, "nature": complaint.nature},
    )
    for name in rules.intake_clocks(
        nature=complaint.nature, received_outside_cs=complaint.received_outside_cs
    ):
        start_clock(session, config, complaint, name, received_at)
    _announce(session, complaint)
    _classify(session, config, complaint, visit)
    return complaint


def _classify(session: Session, config: Config, complaint: Complaint, visit) -> None:
    """Make the complaint major when a trigger applies (CMP-9); flag repeat repairs (CMP-10)."""
    triggers = rules.major_triggers(
        complaint.major_triggers or [], complaint.damage_cents, config.major_damage_cents
    )
    if triggers:
        complaint.major_triggers, complaint.severity = triggers, "major"
        complaint.supervised_by_cs = True
        for role in MAJOR_ALERTED_ROLES:
            alerts.alert_role(
                session,
                role,
                complaint.region_id,
                kind="complaint.major",
                message=f"Major complaint {complaint.number}: {', '.join(triggers)}",
                complaint_id=complaint.id,
            )
    asset_id = visit.request.asset_id if visit else None
    if asset_id is not None and rules.repeat_repair(
        _recent_repairs(session, asset_id, config.repeat_repair_days), config.repeat_repair_count
    ):
        complaint.repeat_repair_candidate = True
        alerts.alert_role(
            session,
            "manager",
            complaint.region_id,
            kind="complaint.repeat_repair",
            message=f"Complaint {complaint.number}: repeat repairs of one unit",
            complaint_id=complaint.id,
        )


def _recent_repairs(session: Session, asset_id: int, days: int) -> int:
    since = utcnow() - timedelta(days=days)
    return (
        session.scalar(
            select(func.count())
            .select_from(ServiceRequest)
            .where(
                ServiceRequest.asset_id == asset_id,
                ServiceRequest.request_type == "repair",
                ServiceRequest.registered_at >= since,
            )
        )
        or 0
    )


# Customer service, the responsible department head and the VP-in-charge (CMP-9), as roles.
MAJOR_ALERTED_ROLES = ("dispatcher", "manager", "admin")


def _announce(session: Session, complaint: Complaint) -> None:
    queue_sms(
        session, customer=complaint.customer, template="complaint_received", number=complaint.number
    )
    alerts.alert_role(
        session,
        "manager",
        complaint.region_id,
        kind="complaint.opened",
        message=f"Complaint {complaint.number} ({complaint.nature}, {complaint.category})",
        complaint_id=complaint.id,
    )


def _visit_of_customer(session: Session, visit_id: int | None, customer_id: int) -> Visit | None:
    if visit_id is None:
        return None
    visit = get_visit(session, visit_id)
    if visit.request.customer_id != customer_id:
        raise RuleViolation(
            "The visit belongs to another customer",
            error_code="visit_of_other_customer",
            details={"visit_id": ["belongs to another customer"]},
        )
    return visit


def start_clock(
    session: Session, config: Config, complaint: Complaint, name: str, start: datetime
) -> ComplaintClock | None:
    """Start one configured SLA clock of a complaint (none when the clock is not configured)."""
    minutes = rules.clock_minutes(
        rules.parse_clock_minutes(config.complaint_sla_minutes),
        name,
        complaint.nature,
        complaint.priority,
    )
    if minutes is None:
        return None
    clock = ComplaintClock(
        name=name,
        started_at=start,
        due_at=rules.due_at(
            start,
            minutes,
            tz=complaint.timezone,
            day_start=config.contact_window_start,
            day_end=config.working_day_end,
        ),
    )
    complaint.clocks.append(clock)
    session.flush()
    return clock


def staff_user(session: Session, user_id: int, field: str) -> User:
    """Load an active back-office user (a complaint's handler is never a technician)."""
    user = session.get(User, user_id)
    if user is None or not user.active or user.role == "technician":
        raise RuleViolation(
            "The handler must be an active staff member",
            error_code="handler_invalid",
            details={field: ["unknown, inactive or not staff"]},
        )
    return user


def get_complaint(session: Session, complaint_id: int, *, lock: bool = False) -> Complaint:
    """Load a complaint (locked for update when asked) or raise NotFound."""
    query = select(Complaint).where(Complaint.id == complaint_id)
    complaint = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if complaint is None:
        raise NotFound(f"Complaint {complaint_id} not found")
    return complaint


def list_complaints(session: Session, *, overdue: bool | None = None) -> list[Complaint]:
    """List complaints, newest first; optionally only the overdue (or on-time) ones."""
    complaints = session.scalars(select(Complaint).order_by(Complaint.id.desc())).all()
    return [c for c in complaints if overdue is None or c.overdue == overdue]
