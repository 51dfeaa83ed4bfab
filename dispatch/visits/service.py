"""Use cases of visits: book, confirm, and the technician's status changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit, numbering
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from dispatch.intake import service as intake
from dispatch.intake.rules import creates_job
from dispatch.links import service as links
from dispatch.notifications.service import queue_sms
from dispatch.technicians.models import Technician
from dispatch.visits import rules
from dispatch.visits.models import Visit


def timezone_of(visit_or_request, config: Config) -> str:
    """Return the IANA zone of the site's region, or the default zone."""
    request = getattr(visit_or_request, "request", visit_or_request)
    region = request.site.region if request.site else None
    return region.timezone if region else config.default_timezone


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
) -> Visit:
    """Book an arrival window (with a technician, or for the planner) and ask to confirm."""
    request = intake.get_request(session, request_id)
    if not creates_job(request.request_type) or request.status != "registered":
        raise Conflict(
            f"Request {request.number} cannot be booked ({request.status})",
            error_code="request_not_bookable",
        )
    if window_end <= window_start or window_end <= utcnow():
        raise RuleViolation(
            "The window must end after it starts and lie in the future",
            error_code="bad_window",
            details={"window_end": ["not after start/now"]},
        )
    technician = None
    if technician_id is not None:
        technician = bookable_technician(
            session, technician_id, request, required_skill, required_level
        )
        _refuse_overlap(session, technician.id, window_start, window_end)
    visit = Visit(
        number=numbering.next_number(session, "V", utcnow(), timezone_of(request, config)),
        request=request,
        technician=technician,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes,
        priority=request.priority,
        required_skill=required_skill,
        required_level=required_level,
    )
    audit.add_created(
        session,
        actor=actor,
        obj=visit,
        action="visit.booked",
        entity="visit",
        after=visit.snapshot() | {"window_start": window_start.isoformat()},
    )
    intake.set_status(session, actor, request, "scheduled")
    _ask_to_confirm(session, config, visit)
    return visit


def _ask_to_confirm(session: Session, config: Config, visit: Visit) -> None:
    token = links.issue(
        session,
        secret_key=config.secret_key,
        purpose="appointment",
        visit=visit,
        expires_at=visit.window_end,
    )
    tz = ZoneInfo(timezone_of(visit.request, config))
    queue_sms(
        session,
        customer=visit.request.customer,
        template="appointment_confirm",
        visit_id=visit.id,
        number=visit.number,
        technician=visit.technician.name if visit.technician else "—",
        window=rules.format_window(visit.window_start, visit.window_end, tz),
        link=f"{config.public_base_url}/l/{token}",
    )


def bookable_technician(
    session: Session, technician_id: int, request, skill: str | None = None, level: int = 1
) -> Technician:
    """Load a technician who may take this request: active, certified, region and skill."""
    technician = session.get(Technician, technician_id)
    problem = None
    if technician is None or not technician.active:
        problem = ("technician_unknown", "unknown or inactive")
    elif not technician.certified:
        problem = ("technician_not_certified", "not certified for dispatch")
    elif not technician.serves_region(request.site.region_id if request.site else None):
        problem = ("technician_wrong_region", "does not serve the site's region")
    elif skill and (technician.skills or {}).get(skill, 0) < level:
        problem = ("technician_lacks_skill", f"needs {skill} at level {level}")
    if problem:
        raise RuleViolation(
            f"Technician cannot take this visit: {problem[1]}",
            error_code=problem[0],
            details={"technician_id": [problem[1]]},
        )
    return technician


def _refuse_overlap(session: Session, technician_id: int, start: datetime, end: datetime):
    # Lock the technician row so two bookings for the same person serialise here.
    session.scalars(select(Technician).where(Technician.id == technician_id).with_for_update())
    taken = session.scalars(
        select(Visit).where(
            Visit.technician_id == technician_id,
            Visit.status != "cancelled",
            Visit.window_start < end,
            Visit.window_end > start,
        )
    ).first()
    if taken is not None:
        raise Conflict(
            "The technician is already booked in that window",
            error_code="window_taken",
            details={"visit": taken.number},
        )


def confirm_by_customer(*, session: Session, actor: Actor, visit: Visit, config: Config) -> Visit:
    """Confirm the appointment from the customer's link (idempotent)."""
    if visit.confirm(at=utcnow()):
        audit.record(
            session,
            actor=actor,
            action="appointment.confirmed",
            entity="visit",
            entity_id=visit.id,
            before={"appointment_status": "proposed"},
            after={"appointment_status": "confirmed"},
        )
        queue_sms(
            session,
            customer=visit.request.customer,
            template="appointment_confirmed",
            visit_id=visit.id,
            number=visit.number,
            window=rules.format_window(
                visit.window_start, visit.window_end, ZoneInfo(timezone_of(visit, config))
            ),
        )
    return visit


def get_visit(session: Session, visit_id: int) -> Visit:
    """Load a visit or raise NotFound."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"Visit {visit_id} not found")
    return visit


def get_for_technician(session: Session, actor: Actor, visit_id: int) -> Visit:
    """Load a visit the acting technician is assigned to (404 unknown, 403 someone else's)."""
    visit = get_visit(session, visit_id)
    if actor.technician_id is None or visit.technician_id != actor.technician_id:
        raise PermissionDenied("This visit is assigned to another technician")
    return visit


def todays_visits(*, session: Session, actor: Actor, config: Config) -> list[Visit]:
    """Return the technician's visits of their local today, in window order."""
    technician = session.get(Technician, actor.technician_id)
    if technician is None:
        raise PermissionDenied("No technician profile for this login")
    tz = ZoneInfo(technician.region.timezone or config.default_timezone)
    day_start = datetime.combine(utcnow().astimezone(tz).date(), datetime.min.time(), tz)
    return list(
        session.scalars(
            select(Visit)
            .where(
                Visit.technician_id == technician.id,
                Visit.status != "cancelled",
                Visit.window_start >= day_start,
                Visit.window_start < day_start + timedelta(days=1),
            )
            .order_by(Visit.window_start)
        )
    )


def checked_device_time(device_time: datetime) -> datetime:
    """Refuse device timestamps from a clock running ahead."""
    problem = rules.device_time_problem(device_time, utcnow())
    if problem:
        raise RuleViolation(problem, error_code="device_clock", details={"device_time": [problem]})
    return device_time
