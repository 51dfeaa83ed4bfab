"""The day of a region as the dispatcher's board shows it, read in a fixed number of queries.

Technicians with their routes, travel, breaks and absences; every visit of the day; the tray of
unassigned, overdue (APT-1) and at-risk visits. Reads only: moves go through dispatch.schedule
(pin, insertion, plan acceptance), never through this module.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dispatch.access import ensure_region, region_clause
from dispatch.actors import Actor
from dispatch.clock import utc_text, utcnow
from dispatch.config import Config
from dispatch.customers.models import Customer, Site
from dispatch.dayboard import rules
from dispatch.errors import NotFound
from dispatch.intake.clocks import RequestClock
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES, JobStatus
from dispatch.privacy.models import TechnicianPosition
from dispatch.regions.models import Region
from dispatch.schedule.models import RouteStop
from dispatch.technicians.models import WEEKDAYS, Absence, Shift, Technician
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

OVERDUE_SHOWN = 200


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
    # Minutes are enough for ETAs; the board (and its ETag) then moves at most once a minute.
    now = utcnow().replace(second=0, microsecond=0)
    rows = _visits(session, region.id, start, end)
    technicians = _technicians(session, region.id, {r.technician_id for r in rows})
    ids = [t.id for t in technicians]
    absences = _absences(session, ids, start, end)
    shifts = _shifts(session, ids, day)
    visits = [_visit_out(r, now) for r in rows]
    routes: dict[int, list] = {}
    for r in rows:
        if r.technician_id is not None and r.status != VisitStatus.CANCELLED:
            routes.setdefault(r.technician_id, []).append(r)
    for route in routes.values():
        route.sort(key=lambda r: (r.planned_start or r.window_start, r.id))
    legs = _legs(technicians, routes, config)
    fixes = _latest_fixes(session, ids, start, end)
    lanes = [
        _lane(
            t,
            routes.get(t.id, []),
            legs.get(t.id, ()),
            absences.get(t.id, []),
            shifts.get(t.id),
            day,
            tz,
            now,
            fixes.get(t.id),
        )
        for t in technicians
    ]
    unassigned = [
        v["id"] for v in visits if v["status"] == VisitStatus.SCHEDULED and not v["technician_id"]
    ]
    return {
        "region": {"id": region.id, "name": region.name, "timezone": region.timezone},
        "day": day.isoformat(),
        "technicians": lanes,
        "visits": visits,
        "tray": {
            "unassigned": unassigned,
            "at_risk": [v["id"] for v in visits if v["at_risk"]],
            "overdue": _overdue(session, region.id, now),
        },
        "totals": {
            "travel_seconds": sum(lane["travel_seconds"] for lane in lanes),
            "unassigned": len(unassigned),
        },
    }


# The columns the board shows of a visit, its stop, request, site and customer (no ORM rows:
# building 2,500 objects for 500 visits cost more than the rest of the board).
_COLUMNS = (
    Visit.id,
    Visit.number,
    Visit.request_id,
    Visit.technician_id,
    Visit.status,
    Visit.window_start,
    Visit.window_end,
    Visit.duration_minutes,
    Visit.priority,
    Visit.required_skill,
    Visit.arrived_at,
    Visit.arrival_lat,
    Visit.arrival_lon,
    Visit.completed_at,
    RouteStop.planned_start,
    RouteStop.pinned_technician,
    RouteStop.pinned_start,
    Site.lat,
    Site.lon,
    Site.address,
    Customer.name.label("customer"),
)


def _visits(session: Session, region_id: int, start: datetime, end: datetime) -> list:
    query = (
        select(*_COLUMNS)
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
    return list(session.execute(query))


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
        select(
            ServiceRequest.id,
            ServiceRequest.number,
            ServiceRequest.registered_at,
            RequestClock.booking_due_at,
            Customer.name.label("customer"),
        )
        .join(Site, ServiceRequest.site_id == Site.id)
        .join(RequestClock, RequestClock.request_id == ServiceRequest.id)
        .join(Customer, ServiceRequest.customer_id == Customer.id)
        .where(
            Site.region_id == region_id,
            ServiceRequest.status == JobStatus.REGISTERED,
            ServiceRequest.request_type.in_(JOB_REQUEST_TYPES),
            RequestClock.booking_due_at <= now,  # the region's working calendar (DSP-1)
        )
        .order_by(ServiceRequest.registered_at)
        .limit(OVERDUE_SHOWN)
    )
    return [
        {
            "request_id": r.id,
            "number": r.number,
            "customer": r.customer,
            "registered_at": utc_text(r.registered_at),
            "due_at": utc_text(r.booking_due_at),
        }
        for r in session.execute(query)
    ]


def _visit_out(row, now: datetime) -> dict:
    estimated = rules.eta(row.planned_start, row.status, now)
    return {
        "id": row.id,
        "number": row.number,
        "request_id": row.request_id,
        "status": row.status,
        "technician_id": row.technician_id,
        "window_start": utc_text(row.window_start),
        "window_end": utc_text(row.window_end),
        "planned_start": _text(row.planned_start),
        "eta": _text(estimated),
        "at_risk": rules.at_risk(estimated, row.window_end),
        "duration_minutes": row.duration_minutes,
        "priority": row.priority,
        "required_skill": row.required_skill,
        "pinned": bool(row.pinned_technician or row.pinned_start is not None),
        "lat": row.lat,
        "lon": row.lon,
        "address": row.address,
        "customer": row.customer,
    }


def _text(moment: datetime | None) -> str | None:
    return utc_text(moment) if moment else None


def _shift_span(tech: Technician, shift: Shift | None, day: date, tz) -> tuple | None:
    if shift is not None:
        return shift.starts_at, shift.ends_at
    hours = (tech.working_hours or {}).get(WEEKDAYS[day.weekday()])
    if not hours:
        return None
    opens, closes = (time.fromisoformat(h) for h in hours)
    return datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)


def _legs(technicians: list[Technician], routes: dict[int, list], config: Config) -> dict:
    """Return each technician's driving seconds before each visit and home, in one pass."""
    owners, legs = [], []
    for tech in technicians:
        here = (tech.home_lat, tech.home_lon) if tech.home_lat is not None else None
        back = (tech.end_lat, tech.end_lon) if tech.end_lat is not None else here
        stops = [(r.lat, r.lon) if r.lat is not None else None for r in routes.get(tech.id, [])]
        for place in [*stops, back if stops else None]:
            if here and place:
                owners.append(tech.id)
                legs.append((*here, *place))
            else:
                owners.append(tech.id)
                legs.append(None)
            here = place or here
    seconds = iter(
        rules.leg_seconds(
            [leg for leg in legs if leg], config.travel_speed_kmh, config.travel_detour_factor
        )
    )
    found: dict[int, list] = {}
    for owner, leg in zip(owners, legs, strict=True):
        found.setdefault(owner, []).append(next(seconds) if leg else None)
    return found


def _latest_fixes(session: Session, ids: list[int], start: datetime, end: datetime) -> dict:
    """Each technician's latest GPS fix of the day, in one query. Fixes exist only while on a
    visit and with the technician's consent (PIPL art. 28, dispatch.privacy.location)."""
    if not ids:
        return {}
    latest = (
        select(
            TechnicianPosition.technician_id,
            func.max(TechnicianPosition.taken_at).label("taken_at"),
        )
        .where(
            TechnicianPosition.technician_id.in_(ids),
            TechnicianPosition.taken_at >= start,
            TechnicianPosition.taken_at < end,
        )
        .group_by(TechnicianPosition.technician_id)
        .subquery()
    )
    rows = session.execute(
        select(
            TechnicianPosition.technician_id,
            TechnicianPosition.lat,
            TechnicianPosition.lon,
            TechnicianPosition.taken_at,
        ).join(
            latest,
            (latest.c.technician_id == TechnicianPosition.technician_id)
            & (latest.c.taken_at == TechnicianPosition.taken_at),
        )
    )
    return {r.technician_id: (r.lat, r.lon, r.taken_at) for r in rows}


def _lane(tech, rows, legs, absences, shift, day, tz, now, fix=None) -> dict:
    """Return one technician's timeline: travel, visits, lunch and absences, in time order."""
    items, travel_total, last_seen = [], 0, None
    for r, seconds in zip(rows, legs, strict=False):
        begins = r.arrived_at or r.planned_start or r.window_start
        if seconds:
            travel_total += seconds
            items.append(_item("travel", begins - timedelta(seconds=seconds), begins))
        ends = r.completed_at or begins + timedelta(minutes=r.duration_minutes)
        items.append(_item("visit", begins, ends, visit_id=r.id, label=r.number))
        if r.arrival_lat is not None and r.arrived_at is not None:
            last_seen = (r.arrival_lat, r.arrival_lon, r.arrived_at)
    if rows and len(legs) > len(rows) and legs[-1]:  # the way home counts, as in the planner's
        travel_total += legs[-1]
    lunch = datetime.combine(day, tech.lunch_earliest, tz)
    items.append(
        _item("break", lunch, lunch + timedelta(minutes=tech.lunch_minutes), label="lunch")
    )
    items += [_item("absence", a.starts_at, a.ends_at, label=a.reason) for a in absences]
    items.sort(key=lambda i: i["start"])
    span = _shift_span(tech, shift, day, tz)
    absent = any(a.starts_at <= now < a.ends_at for a in absences)
    home = [tech.home_lat, tech.home_lon] if tech.home_lat is not None else None
    return {
        "id": tech.id,
        "name": tech.name,
        "status": rules.technician_status([r.status for r in rows], absent),
        "position": _position(last_seen, home, fix),
        "home": home,
        "shift": [utc_text(span[0]), utc_text(span[1])] if span else None,
        "items": items,
        "route": [r.id for r in rows],
        "travel_seconds": int(travel_total),
    }


def _position(last_seen, home, fix=None) -> dict | None:
    """Return the last position the phone reported: its latest GPS fix or check-in, whichever
    is newer, else home (DSP-12)."""
    if fix and (not last_seen or fix[2] >= last_seen[2]):
        return {"lat": fix[0], "lon": fix[1], "at": utc_text(fix[2]), "source": "gps"}
    if last_seen:
        return {
            "lat": last_seen[0],
            "lon": last_seen[1],
            "at": utc_text(last_seen[2]),
            "source": "check_in",
        }
    if home:
        return {"lat": home[0], "lon": home[1], "at": None, "source": "home"}
    return None


def _item(kind: str, start: datetime, end: datetime, *, visit_id=None, label="") -> dict:
    return {
        "kind": kind,
        "start": utc_text(start),
        "end": utc_text(end),
        "visit_id": visit_id,
        "label": label,
    }
