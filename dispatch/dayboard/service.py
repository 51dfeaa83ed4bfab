"""The day of a region as the dispatcher's board shows it, read in a fixed number of queries.

Technicians with their routes, travel, breaks and absences; every visit of the day; the tray of
unassigned, overdue (APT-1) and at-risk visits. Reads only: moves go through dispatch.schedule
(pin, insertion, plan acceptance), never through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch.access import ensure_region, region_clause
from dispatch.actors import Actor
from dispatch.booking.rules import CONTACT_DEADLINE
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Customer, Site
from dispatch.dayboard import rules
from dispatch.errors import NotFound
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES, JobStatus
from dispatch.regions.models import Region
from dispatch.schedule.days import travel_matrix_for
from dispatch.schedule.models import RouteStop
from dispatch.technicians.models import WEEKDAYS, Absence, Shift, Technician
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

OVERDUE_SHOWN = 200


@dataclass(frozen=True)
class _Row:
    """One visit of the day with what the board shows of its request, site and customer."""

    visit: Visit
    stop: RouteStop
    request: ServiceRequest
    site: Site
    customer: Customer


def regions(session: Session, actor: Actor) -> list[Region]:
    """Return the regions the actor may open a day board of (the region picker)."""
    return list(
        session.scalars(select(Region).where(region_clause(actor, Region.id)).order_by(Region.name))
    )


def board(session: Session, *, actor: Actor, config: Config, region_id: int, day: date) -> dict:
    """Return the region's day: technicians' timelines, every visit, and the tray."""
    ensure_region(actor, region_id, what="Region")
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound("Region not found")
    tz = ZoneInfo(region.timezone)
    start = datetime.combine(day, time.min, tz)
    end = start + timedelta(days=1)
    now = utcnow()
    rows = _visits(session, region.id, start, end)
    technicians = _technicians(session, region.id, {r.visit.technician_id for r in rows})
    ids = [t.id for t in technicians]
    absences = _absences(session, ids, start, end)
    shifts = _shifts(session, ids, day)
    visits = [_visit_out(r, now) for r in rows]
    by_technician: dict[int, list[_Row]] = {}
    for r in rows:
        if r.visit.technician_id is not None and r.visit.status != VisitStatus.CANCELLED:
            by_technician.setdefault(r.visit.technician_id, []).append(r)
    travel = travel_matrix_for(config)
    lanes = [
        _lane(
            t,
            by_technician.get(t.id, []),
            absences.get(t.id, []),
            shifts.get(t.id),
            day,
            tz,
            travel,
            now,
        )
        for t in technicians
    ]
    waiting = [v for v in visits if v["status"] == VisitStatus.SCHEDULED]
    return {
        "region": {"id": region.id, "name": region.name, "timezone": region.timezone},
        "day": day,
        "generated_at": now,
        "technicians": lanes,
        "visits": visits,
        "tray": {
            "unassigned": [v["id"] for v in waiting if v["technician_id"] is None],
            "at_risk": [v["id"] for v in visits if v["at_risk"]],
            "overdue": _overdue(session, region.id, now),
        },
        "totals": {
            "travel_seconds": sum(lane["travel_seconds"] for lane in lanes),
            "unassigned": sum(1 for v in waiting if v["technician_id"] is None),
        },
    }


def _visits(session: Session, region_id: int, start: datetime, end: datetime) -> list[_Row]:
    query = (
        select(Visit, RouteStop, ServiceRequest, Site, Customer)
        .join(RouteStop, RouteStop.visit_id == Visit.id)
        .join(ServiceRequest, Visit.request_id == ServiceRequest.id)
        .join(Site, ServiceRequest.site_id == Site.id)
        .join(Customer, ServiceRequest.customer_id == Customer.id)
        .where(
            Site.region_id == region_id,
            or_(
                (Visit.window_start >= start) & (Visit.window_start < end),
                (RouteStop.reserved_start < end) & (RouteStop.reserved_end > start),
            ),
        )
        .order_by(Visit.window_start, Visit.id)
    )
    return [_Row(*row) for row in session.execute(query)]


def _technicians(session: Session, region_id: int, on_day: set) -> list[Technician]:
    visiting = [i for i in on_day if i is not None]
    return list(
        session.scalars(
            select(Technician)
            .where(
                Technician.active,
                or_(Technician.region_id == region_id, Technician.id.in_(visiting)),
            )
            .order_by(Technician.name, Technician.id)
        )
    )


def _absences(session: Session, ids: list[int], start: datetime, end: datetime) -> dict:
    found: dict[int, list[Absence]] = {}
    query = select(Absence).where(
        Absence.technician_id.in_(ids), Absence.starts_at < end, Absence.ends_at > start
    )
    for absence in session.scalars(query):
        found.setdefault(absence.technician_id, []).append(absence)
    return found


def _shifts(session: Session, ids: list[int], day: date) -> dict[int, Shift]:
    query = select(Shift).where(Shift.technician_id.in_(ids), Shift.day == day)
    return {s.technician_id: s for s in session.scalars(query)}


def _overdue(session: Session, region_id: int, now: datetime) -> list[dict]:
    """Requests of the region still without an agreed date a day after registration (APT-1)."""
    query = (
        select(ServiceRequest, Customer)
        .join(Site, ServiceRequest.site_id == Site.id)
        .join(Customer, ServiceRequest.customer_id == Customer.id)
        .where(
            Site.region_id == region_id,
            ServiceRequest.status == JobStatus.REGISTERED,
            ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
            ServiceRequest.registered_at <= now - CONTACT_DEADLINE,
        )
        .order_by(ServiceRequest.registered_at)
        .limit(OVERDUE_SHOWN)
    )
    return [
        {
            "request_id": r.id,
            "number": r.number,
            "customer": c.name,
            "registered_at": r.registered_at,
            "due_at": r.registered_at + CONTACT_DEADLINE,
        }
        for r, c in session.execute(query)
    ]


def _visit_out(row: _Row, now: datetime) -> dict:
    visit, stop = row.visit, row.stop
    estimated = rules.eta(stop.planned_start, visit.status, now)
    return {
        "id": visit.id,
        "number": visit.number,
        "request_id": row.request.id,
        "status": visit.status,
        "technician_id": visit.technician_id,
        "window_start": visit.window_start,
        "window_end": visit.window_end,
        "planned_start": stop.planned_start,
        "eta": estimated,
        "at_risk": rules.at_risk(estimated, visit.window_end),
        "duration_minutes": visit.duration_minutes,
        "priority": visit.priority,
        "required_skill": visit.required_skill,
        "pinned": stop.pinned_technician or stop.pinned_start is not None,
        "lat": row.site.lat,
        "lon": row.site.lon,
        "address": row.site.address,
        "customer": row.customer.name,
    }


def _shift_span(tech: Technician, shift: Shift | None, day: date, tz) -> tuple | None:
    if shift is not None:
        return shift.starts_at, shift.ends_at
    hours = (tech.working_hours or {}).get(WEEKDAYS[day.weekday()])
    if not hours:
        return None
    opens, closes = (time.fromisoformat(h) for h in hours)
    return datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)


def _lane(tech, rows, absences, shift, day, tz, travel, now) -> dict:
    """Return one technician's timeline: travel, visits, lunch and absences, in time order."""
    home = (tech.home_lat, tech.home_lon) if tech.home_lat is not None else None
    items, travel_total, here, last_seen = [], 0, home, None
    rows = sorted(rows, key=lambda r: (r.stop.planned_start or r.visit.window_start, r.visit.id))
    for r in rows:
        begins = r.visit.arrived_at or r.stop.planned_start or r.visit.window_start
        place = (r.site.lat, r.site.lon) if r.site.lat is not None else None
        if here and place:
            seconds = travel.to_and_from([place], here)[0][0]
            travel_total += seconds
            items.append(_item("travel", begins - timedelta(seconds=seconds), begins))
        ends = r.visit.completed_at or begins + timedelta(minutes=r.visit.duration_minutes)
        items.append(_item("visit", begins, ends, visit_id=r.visit.id, label=r.visit.number))
        here = place or here
        if r.visit.arrival_lat is not None and r.visit.arrived_at is not None:
            last_seen = (r.visit.arrival_lat, r.visit.arrival_lon, r.visit.arrived_at)
    back = (tech.end_lat, tech.end_lon) if tech.end_lat is not None else home
    if rows and here and back:  # the way home counts, as in the planner's routes
        travel_total += travel.to_and_from([back], here)[0][0]
    lunch = datetime.combine(day, tech.lunch_earliest, tz)
    items.append(
        _item("break", lunch, lunch + timedelta(minutes=tech.lunch_minutes), label="lunch")
    )
    items += [_item("absence", a.starts_at, a.ends_at, label=a.reason) for a in absences]
    items.sort(key=lambda i: i["start"])
    span = _shift_span(tech, shift, day, tz)
    absent = any(a.starts_at <= now < a.ends_at for a in absences)
    return {
        "id": tech.id,
        "name": tech.name,
        "status": rules.technician_status([r.visit.status for r in rows], absent),
        "position": _position(last_seen, home),
        "home": list(home) if home else None,
        "shift": [span[0], span[1]] if span else None,
        "items": items,
        "route": [r.visit.id for r in rows],
        "travel_seconds": int(travel_total),
    }


def _position(last_seen, home) -> dict | None:
    """Return the last position the phone reported (at check-in), else home (DSP-12)."""
    if last_seen:
        return {"lat": last_seen[0], "lon": last_seen[1], "at": last_seen[2], "source": "check_in"}
    if home:
        return {"lat": home[0], "lon": home[1], "at": None, "source": "home"}
    return None


def _item(kind: str, start: datetime, end: datetime, *, visit_id=None, label="") -> dict:
    return {"kind": kind, "start": start, "end": end, "visit_id": visit_id, "label": label}
