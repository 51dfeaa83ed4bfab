"""Visits: loading them for staff and technicians, eligibility, device clocks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import NotFound, PermissionDenied, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.schedule.models import RouteStop
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
    elif not technician.serves_region(access.region_of_request(request)):
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


def get_visit(session: Session, visit_id: int, *, actor: Actor) -> Visit:
    """Load a visit the actor may see (their region; a technician's own) or raise NotFound."""
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"Visit {visit_id} not found")
    access.ensure_visit(actor, visit)
    return visit


def get_for_technician(session: Session, actor: Actor, visit_id: int) -> Visit:
    """Load a visit the acting technician is assigned to; anyone else's is 404 (not 403)."""
    if not actor.is_technician:
        raise NotFound(f"Visit {visit_id} not found")
    return access.show_to(actor, get_visit(session, visit_id, actor=actor))


def day_span(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC-aware start and end of a local calendar day in `zone`."""
    start = datetime.combine(day, datetime.min.time(), zone)
    return start, datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)


def todays_visits(
    *, session: Session, actor: Actor, config: Config, day: date | None = None
) -> list[Visit]:
    """Return the technician's visits of a day (default: today in their region's zone), in
    route order: the planned position, then the planned start, then the window."""
    technician = session.get(Technician, actor.technician_id)
    if technician is None:
        raise PermissionDenied("No technician profile for this login")
    tz = ZoneInfo(technician.region.timezone or config.default_timezone)
    day_start, day_end = day_span(day or utcnow().astimezone(tz).date(), tz)
    return [
        access.show_to(actor, visit)
        for visit in session.scalars(
            select(Visit)
            .join(RouteStop, RouteStop.visit_id == Visit.id)
            .where(
                Visit.technician_id == technician.id,
                Visit.status != VisitStatus.CANCELLED,
                Visit.window_start >= day_start,
                Visit.window_start < day_end,
            )
            .order_by(
                RouteStop.route_position.is_(None),
                RouteStop.route_position,
                RouteStop.planned_start.is_(None),
                RouteStop.planned_start,
                Visit.window_start,
                Visit.id,
            )
        )
    ]


VISIT_SORTS = {
    "window_start": order((Visit.window_start, False), (Visit.id, False)),
    "-window_start": order((Visit.window_start, True), (Visit.id, True)),
    "-id": order((Visit.id, True)),
    "id": order((Visit.id, False)),
}


def list_visits(
    session: Session,
    actor: Actor,
    config: Config,
    *,
    sort: str,
    limit: int,
    after: str | None,
    day: date | None = None,
    region_id: int | None = None,
    technician_id: int | None = None,
    status: str | None = None,
    request_id: int | None = None,
    unassigned: bool | None = None,
) -> Page:
    """One page of the visits the actor may see (issue 12). `day` is a calendar day in each
    visit's region's zone (the site's region; the default zone without one)."""
    query = (
        select(Visit)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(
            or_(
                access.region_clause(actor, Site.region_id),
                access.transferred_clause(actor, ServiceRequest.id),  # handed over (DSP-13)
            )
        )
        .options(
            selectinload(Visit.request).selectinload(ServiceRequest.site),
            selectinload(Visit.technician),
        )
    )
    if region_id is not None:
        query = query.where(Site.region_id == region_id)
    if technician_id is not None:
        query = query.where(Visit.technician_id == technician_id)
    if unassigned is not None:
        query = query.where(
            Visit.technician_id.is_(None) if unassigned else Visit.technician_id.is_not(None)
        )
    if status:
        query = query.where(Visit.status == status)
    if request_id is not None:
        query = query.where(Visit.request_id == request_id)
    if day is not None:
        query = query.where(_on_local_day(session, actor, config, day, region_id))
    return paginate(session, query, sorts=VISIT_SORTS, sort=sort, limit=limit, after=after)


def _on_local_day(session: Session, actor: Actor, config: Config, day: date, region_id):
    """'The visit's window starts on `day` in its region's zone', over the visible regions."""
    regions = select(Region.id, Region.timezone).where(access.region_clause(actor, Region.id))
    if region_id is not None:
        regions = regions.where(Region.id == region_id)
    by_zone: dict[str, list[int]] = defaultdict(list)
    for rid, zone in session.execute(regions):
        by_zone[zone or config.default_timezone].append(rid)
    conditions = []
    for zone, ids in by_zone.items():
        start, end = day_span(day, ZoneInfo(zone))
        conditions.append(
            and_(Site.region_id.in_(ids), Visit.window_start >= start, Visit.window_start < end)
        )
    if region_id is None:  # sites without a region keep the default zone
        start, end = day_span(day, ZoneInfo(config.default_timezone))
        conditions.append(
            and_(Site.region_id.is_(None), Visit.window_start >= start, Visit.window_start < end)
        )
    return or_(*conditions) if conditions else Visit.id.is_(None)


def release(*, session: Session, actor: Actor, visit_id: int, reason: str) -> Visit:
    """Release a waiting visit so it may set off unconfirmed or on another day (dispatcher).

    A follow-on visit of a job on hold takes the job off hold with it (APT-11).
    """
    visit = get_visit(session, visit_id, actor=actor)
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
    visit = get_visit(session, visit_id, actor=actor)
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
