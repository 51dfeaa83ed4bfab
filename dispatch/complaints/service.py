"""Take in complaints from any channel or a bad rating; route them; start their SLA clocks."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit, numbering
from dispatch.actors import Actor
from dispatch.alerts import service as alerts
from dispatch.api.listing import Page, order, paginate
from dispatch.clock import utcnow
from dispatch.complaints import notices, rules
from dispatch.complaints.models import Complaint, ComplaintClock
from dispatch.complaints.records import ComplaintEvidence, ComplaintJob, ComplaintRoute
from dispatch.config import Config
from dispatch.customers.service import get_customer
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.service import get_request
from dispatch.regions.calendar import calendar_of
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
    request_id: int | None = None,
    **fields,
) -> Complaint:
    """Register a complaint, route it to its handler, start its clocks, tell the people."""
    now = utcnow()
    received_at = received_at or now
    if received_at > now:
        raise RuleViolation(
            "A complaint cannot be received in the future",
            error_code="received_in_future",
            details={"received_at": ["after now"]},
        )
    customer = get_customer(session, customer_id, actor=actor)
    visit = _visit_of_customer(session, actor, visit_id, customer.id)
    request = (
        visit.request if visit else _request_of_customer(session, actor, request_id, customer.id)
    )
    tz = timezone_of(visit, config) if visit else config.default_timezone
    complaint = Complaint(
        number=numbering.next_number(session, "CP", now, tz),
        customer=customer,
        visit_id=visit.id if visit else None,
        request_id=request.id if request else None,
        technician_id=fields.pop("technician_id", None) or (visit.technician_id if visit else None),
        region_id=request.site.region_id if request and request.site else None,
        timezone=tz,
        received_at=received_at,
        registered_at=now,
        first_owner_id=owner_id,
        owner_id=owner_id,
        link_jti=secrets.token_urlsafe(24),
        # Outside customer service it waits to be forwarded or resolved on the spot (CMP-5).
        status=rules.ComplaintStatus.RECEIVED
        if fields.get("received_outside_cs")
        else rules.ComplaintStatus.REGISTERED,
        **fields,
    )
    if not complaint.received_outside_cs:  # in customer service's hands: routed at once (CMP-4)
        complaint.owner_id = choose_handler(session, complaint, default=owner_id)
    else:
        staff_user(session, owner_id, "owner_id", technicians=True)
    audit.add_created(
        session,
        actor=actor,
        obj=complaint,
        action="complaint.received",
        entity="complaint",
        after=complaint.snapshot() | {"number": complaint.number, "nature": complaint.nature},
    )
    clocks = rules.intake_clocks(
        nature=complaint.nature, received_outside_cs=complaint.received_outside_cs
    )
    for name in (*clocks, "resolution"):
        start_clock(session, config, complaint, name, received_at)
    notices.reclassify(session, config, complaint)
    if not complaint.received_outside_cs:
        start_clock(session, config, complaint, "case_decision", now)
    notices.acknowledge(session, config, complaint)
    return complaint


def choose_handler(session: Session, complaint: Complaint, *, default: int) -> int:
    """Pick the handler by category and the department or person complained about (CMP-4).

    The most specific route wins; without one, a user of the priority's default owner role in
    the region (CMP-8); without one, whoever took the complaint.
    """
    routes = [
        tuple(row)
        for row in session.execute(
            select(ComplaintRoute.category, ComplaintRoute.department, ComplaintRoute.handler_id)
            .join(User, User.id == ComplaintRoute.handler_id)
            .where(User.active.is_(True))  # a route to someone who left is skipped
        )
    ]
    excluded = {complaint.subject_user_id} - {None}
    chosen = rules.route_handler(
        routes, category=complaint.category, department=complaint.department, excluded=excluded
    )
    if chosen is None:
        role = rules.OWNER_ROLE[complaint.priority]
        users = alerts.users_with_role(session, role, complaint.region_id)
        chosen = next((u.id for u in users if u.id not in excluded), default)
    return staff_user(session, chosen, "owner_id").id


def _visit_of_customer(
    session: Session, actor: Actor, visit_id: int | None, customer_id: int
) -> Visit | None:
    if visit_id is None:
        return None
    visit = get_visit(session, visit_id, actor=actor)
    if visit.request.customer_id != customer_id:
        raise RuleViolation(
            "The visit belongs to another customer",
            error_code="visit_of_other_customer",
            details={"visit_id": ["belongs to another customer"]},
        )
    return visit


def _request_of_customer(session: Session, actor: Actor, request_id: int | None, customer_id: int):
    if request_id is None:
        return None
    request = get_request(session, request_id, actor=actor)
    if request.customer_id != customer_id:
        raise RuleViolation(
            "The job belongs to another customer",
            error_code="request_of_other_customer",
            details={"request_id": ["belongs to another customer"]},
        )
    return request


def clock_table(config: Config) -> dict[str, rules.ClockLength]:
    """Return the clock lengths: governance defaults, overridden by the setting."""
    return rules.parse_clock_minutes(rules.GOVERNANCE_CLOCKS) | rules.parse_clock_minutes(
        config.complaint_sla_minutes
    )


def start_clock(
    session: Session, config: Config, complaint: Complaint, name: str, start: datetime
) -> ComplaintClock | None:
    """Start one configured SLA clock of a complaint (none when the clock is not configured)."""
    length = rules.clock_minutes(
        clock_table(config), name, complaint.nature, complaint.priority, complaint.severity
    )
    if length is None or complaint.clock(name) is not None:
        return None
    clock = ComplaintClock(
        name=name,
        started_at=start,
        due_at=rules.due_at(
            start,
            length,
            tz=complaint.timezone,
            day_start=config.contact_window_start,
            day_end=config.working_day_end,
            calendar=calendar_of(session, complaint.region_id),
        ),
    )
    complaint.clocks.append(clock)
    session.flush()
    return clock


def staff_user(session: Session, user_id: int, field: str, *, technicians: bool = False) -> User:
    """Load an active back-office user (a complaint's handler is never a technician)."""
    user = session.get(User, user_id)
    if user is None or not user.active or (user.role == "technician" and not technicians):
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


def get_complaint_for(
    session: Session, actor: Actor, complaint_id: int, *, lock: bool = False
) -> Complaint:
    """Load a complaint the actor may see: staff of its region (a complaint of no region yet
    is everyone's to route), or the technician who took it (CMP-2); others get NotFound."""
    complaint = get_complaint(session, complaint_id, lock=lock)
    if actor.is_technician:
        if complaint.first_owner_id != actor.id:
            raise NotFound(f"Complaint {complaint_id} not found")
    elif complaint.region_id is not None:
        access.ensure_region(actor, complaint.region_id, what=f"Complaint {complaint_id}")
    return complaint


# Everything ComplaintOut shows, loaded in one query per relationship.
LIST_LOADS = (
    "clocks",
    "transfers",
    "escalations",
    "steps",
    "assists",
    "appeals",
    "compensations",
)


COMPLAINT_SORTS = {
    "-id": order((Complaint.id, True)),
    "id": order((Complaint.id, False)),
    "-received_at": order((Complaint.received_at, True), (Complaint.id, True)),
    "received_at": order((Complaint.received_at, False), (Complaint.id, False)),
}


def list_complaints(
    session: Session,
    actor: Actor,
    *,
    sort: str = "-id",
    limit: int = 50,
    after: str | None = None,
    overdue: bool | None = None,
    status: str | None = None,
    visit_id: int | None = None,
    customer_id: int | None = None,
    region_id: int | None = None,
) -> Page:
    """One page of the complaints of the actor's regions (and those with no region yet), newest
    first; optionally only the
    overdue (or on-time) ones (CMP-8), of a status, a visit, a customer or a region (issue 12)."""
    breached = (
        select(ComplaintClock.id)
        .where(
            ComplaintClock.complaint_id == Complaint.id,
            ComplaintClock.breached_at.is_not(None),
            ComplaintClock.met_at.is_(None),
        )
        .exists()
    )
    # A complaint about no job has no region yet: the whole service desk sees it (CMP-2).
    query = (
        select(Complaint)
        .where(or_(access.region_clause(actor, Complaint.region_id), Complaint.region_id.is_(None)))
        .options(*(selectinload(getattr(Complaint, name)) for name in LIST_LOADS))
        .options(selectinload(Complaint.jobs).selectinload(ComplaintJob.request))
        .options(selectinload(Complaint.evidence_files).selectinload(ComplaintEvidence.attachment))
    )
    if overdue is not None:
        query = query.where(breached if overdue else ~breached)
    if status:
        query = query.where(Complaint.status == status)
    if visit_id is not None:
        query = query.where(Complaint.visit_id == visit_id)
    if customer_id is not None:
        query = query.where(Complaint.customer_id == customer_id)
    if region_id is not None:
        query = query.where(Complaint.region_id == region_id)
    return paginate(session, query, sorts=COMPLAINT_SORTS, sort=sort, limit=limit, after=after)
