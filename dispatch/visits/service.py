"""Visits: loading them for staff and technicians, eligibility, device clocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.access import ensure_region
from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import NotFound, PermissionDenied, RuleViolation
from dispatch.technicians.models import Technician
from dispatch.visits import rules
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus


def timezone_of(visit_or_request, config: Config) -> str:
    """Return the IANA zone of the site's region, or the default zone."""
    request = getattr(visit_or_request, "request", visit_or_request)
    region = request.site.region if request.site else None
    return region.timezone if region else config.default_timezone


def window_text(visit: Visit, config: Config) -> str:
    """Render the visit's arrival window in its region's local time."""
    return rules.format_window(
        visit.window_start, visit.window_end, ZoneInfo(timezone_of(visit, config))
    )


def local_clock(moment: datetime | None, visit: Visit, config: Config) -> str | None:
    """Render an instant as HH:MM in the visit's region, or None."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone_of(visit, config))).strftime("%H:%M")


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
                Visit.status != VisitStatus.CANCELLED,
                Visit.window_start >= day_start,
                Visit.window_start < day_start + timedelta(days=1),
            )
            .order_by(Visit.window_start)
        )
    )


def release(*, session: Session, actor: Actor, visit_id: int, reason: str) -> Visit:
    """Release a waiting visit so it may set off unconfirmed or on another day (dispatcher).

    A follow-on visit of a job on hold takes the job off hold with it (APT-11).
    """
    visit = get_visit(session, visit_id)
    with audited(session, actor, visit, "visit.released", extra={"reason": reason}):
        visit.release(by_user_id=actor.id, reason=reason, at=utcnow())
    if visit.request.on_hold:
        with audited(session, actor, visit.request, "request.scheduled"):
            visit.request.resume_by_appointment()
    return visit


def checked_device_time(device_time: datetime) -> datetime:
    """Refuse device timestamps from a clock running ahead."""
    problem = rules.device_time_problem(device_time, utcnow())
    if problem:
        raise RuleViolation(problem, error_code="device_clock", details={"device_time": [problem]})
    return device_time


def mark_hazardous(
    *, session: Session, actor: Actor, visit_id: int, hazard_kind: str | None, reason: str
) -> Visit:
    """A dispatcher flags a job as hazardous (or clears it) before work starts (VCH-18)."""
    visit = get_visit(session, visit_id)
    ensure_region(actor, visit.request.site.region_id if visit.request.site else None, what="Visit")
    if not (visit.waiting or visit.travelling or visit.at_site):
        raise RuleViolation(
            "Only a job not yet at work can be flagged",
            error_code="hazard_too_late",
            details={"visit_id": [visit.status]},
        )
    before = {"hazard_kind": visit.field_record.hazard_kind}
    visit.field_record.mark_hazardous(hazard_kind)
    visit.touch()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="visit.hazard_flagged",
        entity="visit",
        entity_id=visit.id,
        before=before,
        after={"hazard_kind": hazard_kind, "reason": reason},
    )
    return visit
