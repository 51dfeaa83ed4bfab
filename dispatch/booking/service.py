"""Use cases of booking: book a free window, confirm, reschedule, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit, numbering, outbox
from dispatch.actors import Actor
from dispatch.assignments import service as assignments
from dispatch.assignments.rules import AssignmentSource
from dispatch.audit import audited
from dispatch.booking import calls
from dispatch.booking.models import Appointment
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import Conflict, RuleViolation
from dispatch.intake import clocks
from dispatch.intake import service as intake
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JobStatus, creates_job
from dispatch.links import service as links
from dispatch.notifications.service import queue_sms
from dispatch.outbox import OutboxMessage
from dispatch.schedule import service as schedule
from dispatch.schedule.models import RouteStop
from dispatch.schedule.service import Need, Placement
from dispatch.visits.models import Visit
from dispatch.visits.rules import AppointmentStatus
from dispatch.visits.service import bookable_technician, get_visit, timezone_of, window_text
from dispatch.vouchers import service as vouchers


def book(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    request_id: int,
    window_start: datetime,
    window_end: datetime,
    duration_minutes: int,
    technician_id: int | None = None,
    required_skill: str | None = None,
    required_level: int = 1,
    auto_assign: bool = True,
    kind: str = "repair",
    assistance_notes: str | None = None,
    access_instructions: str | None = None,
) -> Visit:
    """Book an arrival window a technician can really keep, and ask the customer to confirm.

    With `auto_assign` off and no technician, the visit waits for the planner.
    """
    request = intake.get_request(session, request_id, actor=actor)
    if not creates_job(request.request_type) or not request.awaits_booking:
        raise Conflict(
            f"Request {request.number} cannot be booked ({request.status})",
            error_code="request_not_bookable",
        )
    _check_window(window_start, window_end)
    if technician_id is not None:
        bookable_technician(session, technician_id, request, required_skill, required_level)
    visit = Visit(
        request=request,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes,
        priority=request.priority,
        required_skill=required_skill,
        required_level=required_level,
        route_stop=RouteStop(pinned_technician=technician_id is not None),
    )
    visit.appointment.kind = kind  # APT-3
    visit.appointment.assistance_notes = assistance_notes  # APT-10
    visit.appointment.access_instructions = access_instructions
    need = None
    if technician_id is not None or auto_assign:
        need = _need(visit, technician_id)
        schedule.reserve(session, config, visit, need)
    # Taken after the slot is found, so a refused booking leaves no gap in the day's numbers.
    visit.number = numbering.next_number(session, "V", utcnow(), timezone_of(request, config))
    schedule.save_reserved(
        session,
        config,
        visit,
        need,
        lambda: audit.add_created(
            session,
            actor=actor,
            obj=visit,
            action="visit.booked",
            entity="visit",
            after=visit.snapshot() | {"window_start": window_start.isoformat()},
        ),
    )
    assignments.record(  # DSP-4: who assigned whom, when and why; DSP-5 push and acceptance
        session,
        actor=actor,
        visit=visit,
        source=AssignmentSource.BOOKING,
        reason="chosen at booking" if technician_id is not None else "free technician at booking",
        first=True,
    )
    with audited(session, actor, request, "request.scheduled"):
        request.schedule()
    _ask_to_confirm(session, config, visit)
    _schedule_reminder(session, config, visit, first=True)
    return visit


def _check_window(start: datetime, end: datetime) -> None:
    if end <= start or end <= utcnow():
        raise RuleViolation(
            "The window must end after it starts and lie in the future",
            error_code="bad_window",
            details={"window_end": ["not after start/now"]},
        )


def _need(visit: Visit, technician_id: int | None = None) -> Need:
    return Need(
        site=visit.request.site,
        minutes=visit.duration_minutes,
        skill=visit.required_skill,
        level=visit.required_level,
        technician_id=technician_id,
        moving_visit_id=visit.id,
    )


def _ask_to_confirm(session: Session, config: Config, visit: Visit) -> None:
    token = links.issue_appointment_links(session, secret_key=config.secret_key, visit=visit)
    queue_sms(
        session,
        customer=visit.request.customer,
        template="appointment_confirm",
        visit_id=visit.id,
        number=visit.number,
        technician=visit.technician.name if visit.technician else "—",
        window=window_text(visit, config),
        link=links.page_url(config.public_base_url, token),
    )


def _schedule_reminder(
    session: Session, config: Config, visit: Visit, *, first: bool = False
) -> None:
    """Queue the day-before reminder; a moved or cancelled visit makes it stand down.

    `first`: the visit was made in this transaction, so no reminder of it is queued yet.
    """
    tz = ZoneInfo(timezone_of(visit.request, config))
    day_before = visit.window_start.astimezone(tz).date() - timedelta(days=1)
    run_at = datetime.combine(day_before, config.reminder_time, tz)
    key = f"reminder:{visit.id}:{visit.window_start.isoformat()}"
    # Moved back to a window it had before: that window's reminder is still queued and sends.
    known = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
    if run_at > utcnow() and (first or session.scalar(known) is None):
        outbox.add(
            session,
            "booking.reminder",
            run_at=run_at,
            dedupe_key=key,
            visit_id=visit.id,
            window_start=visit.window_start.isoformat(),
        )


def send_reminder(session: Session, *, config: Config, visit_id: int, window_start: str) -> str:
    """Send the reminder with confirm and reschedule links, unless the visit changed."""
    visit = session.get(Visit, visit_id)
    if visit is None or not visit.waiting or (visit.window_start.isoformat() != window_start):
        return "skipped"
    tokens = links.live_tokens(session, secret_key=config.secret_key, visit_id=visit.id)
    queue_sms(
        session,
        customer=visit.request.customer,
        template="appointment_reminder",
        visit_id=visit.id,
        config=config,
        number=visit.number,
        window=window_text(visit, config),
        link=links.page_url(config.public_base_url, tokens.get("appointment", "")),
        reschedule=links.page_url(config.public_base_url, tokens.get("reschedule", "")),
    )
    return "sent"


def confirm_by_customer(
    *, session: Session, actor: Actor, visit: Visit, config: Config, agent_id: int | None = None
) -> Visit:
    """Confirm the appointment from the customer's link, or by an agent for them (APT-4).

    Idempotent: an appointment already confirmed stays as it was.
    """
    if visit.confirmed:
        return visit
    with audited(session, actor, visit, "appointment.confirmed"):
        visit.confirm(at=utcnow())
        visit.appointment.confirmed_via = "agent" if agent_id else "customer"
        visit.appointment.confirmed_by_id = agent_id
    clocks.note_answer(session, visit.request, visit.appointment.confirmed_at)  # APT-12
    queue_sms(
        session,
        customer=visit.request.customer,
        template="appointment_confirmed",
        visit_id=visit.id,
        number=visit.number,
        window=window_text(visit, config),
    )
    return visit


def confirm_for_customer(*, session: Session, actor: Actor, config: Config, visit_id: int):
    """Confirm an appointment as an agent for the customer (APT-4); only staff reach this."""
    visit = get_visit(session, visit_id, actor=actor)
    return confirm_by_customer(
        session=session, actor=actor, visit=visit, config=config, agent_id=actor.id
    )


def reschedule(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit: Visit,
    window_start: datetime,
    window_end: datetime,
) -> Visit:
    """Move a visit to another window a technician can keep; by the customer it is confirmed."""
    _check_window(window_start, window_end)
    before = {"window_start": visit.window_start.isoformat(), **visit.snapshot()}
    visit.move_window(window_start, window_end)
    need = _need(visit, visit.technician_id if visit.route_stop.pinned_technician else None)
    schedule.reserve(session, config, visit, need)
    by_customer = actor.kind == "customer"
    visit.repropose(confirmed_at=utcnow() if by_customer else None)
    schedule.save_reserved(session, config, visit, need, session.flush)
    audit.record(
        session,
        actor=actor,
        action="appointment.rescheduled",
        entity="visit",
        entity_id=visit.id,
        before=before,
        after={"window_start": window_start.isoformat(), **visit.snapshot()},
    )
    links.extend_for_visit(session, visit.id, links.APPOINTMENT_PURPOSES, visit.window_end)
    if by_customer:
        clocks.note_answer(session, visit.request, visit.appointment.confirmed_at)  # APT-12
        _tell(session, config, visit, "appointment_confirmed")
    else:
        _ask_to_confirm(session, config, visit)
    _schedule_reminder(session, config, visit)
    return visit


def cancel(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit: Visit,
    reason: str,
    by_customer: bool = False,
) -> Visit:
    """Cancel a visit that has not started, freeing the technician's time.

    The customer's cancellation by link keeps a booked job waiting and opens a call task to
    resolve the reason (APT-5); no fee is charged.
    """
    return _end(session, actor, config, visit, reason, missed=False, by_customer=by_customer)


def no_show(*, session: Session, actor: Actor, config: Config, visit: Visit, reason: str) -> Visit:
    """Record a missed appointment; the request goes back to be booked again."""
    return _end(session, actor, config, visit, reason, missed=True)


def _end(
    session, actor, config, visit: Visit, reason: str, *, missed: bool, by_customer: bool = False
) -> Visit:
    action = f"appointment.{'missed' if missed else 'cancelled'}"
    with audited(session, actor, visit, action, extra={"reason": reason}):
        (visit.miss if missed else visit.cancel)(reason)
    schedule.release(visit)
    vouchers.void_for_visit(session, actor=actor, visit_id=visit.id)  # an unsigned one only
    request = visit.request
    if missed:  # booked again
        with audited(session, actor, request, "request.unscheduled"):
            request.unschedule()
    elif by_customer and request.status == JobStatus.SCHEDULED:  # a call settles the reason
        with audited(session, actor, request, "request.unscheduled"):
            request.unschedule()
        calls.open_task(session, visit, "cancellation", reason)
    elif request.cancels_with_visit:  # one on hold or reopened waits for another visit
        with audited(session, actor, request, "request.cancelled"):
            request.cancel()
        clocks.note_answer(session, request, utcnow())  # ended without a visit (APT-12)
    links.revoke_for_visit(session, visit.id, *links.APPOINTMENT_PURPOSES)
    _tell(session, config, visit, "appointment_missed" if missed else "appointment_cancelled")
    return visit


def _tell(session: Session, config: Config, visit: Visit, template: str) -> None:
    queue_sms(
        session,
        customer=visit.request.customer,
        template=template,
        visit_id=visit.id,
        number=visit.number,
        window=window_text(visit, config),
    )


def slots_for_request(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    request_id: int,
    days: int,
    duration_minutes: int,
    required_skill: str | None = None,
    required_level: int = 1,
) -> list[Placement]:
    """Return the windows of the next days in which the request's visit can really be kept."""
    request = intake.get_request(session, request_id, actor=actor)
    if request.site is None:
        raise RuleViolation("The request has no service address", error_code="site_required")
    need = Need(
        site=request.site, minutes=duration_minutes, skill=required_skill, level=required_level
    )
    return schedule.free_windows(session, config=config, need=need, days=days)


def slots_for_visit(session: Session, config: Config, visit: Visit, days: int = 5):
    """Return the windows a booked visit could move to (its own time counts as free)."""
    need = _need(visit, visit.technician_id if visit.route_stop.pinned_technician else None)
    return schedule.free_windows(session, config=config, need=need, days=days)


def contact_overdue(session: Session, *, actor: Actor) -> list:
    """Return requests without an agreed date a day after registration (APT-1).

    Agreed means a confirmed appointment: a request whose visit is only proposed is listed too.
    """
    confirmed = (
        select(Visit.id)
        .join(Appointment, Appointment.visit_id == Visit.id)
        .where(
            Visit.request_id == ServiceRequest.id,
            Appointment.status.in_((AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED)),
        )
        .exists()
    )
    query = (
        select(ServiceRequest)
        .join(Site, Site.id == ServiceRequest.site_id)
        # the due time of the region's working calendar (DSP-1), stored at registration
        .join(clocks.RequestClock, clocks.RequestClock.request_id == ServiceRequest.id)
        .where(
            clocks.RequestClock.booking_due_at <= utcnow(),
            or_(
                ServiceRequest.status.in_((JobStatus.REGISTERED, JobStatus.VERIFIED)),
                and_(ServiceRequest.status == JobStatus.SCHEDULED, ~confirmed),
            ),
        )
        .where(access.site_clause(actor, ServiceRequest.site_id))
        .options(selectinload(ServiceRequest.clock))
        .order_by(ServiceRequest.registered_at, ServiceRequest.id)
    )
    return list(session.scalars(query))
