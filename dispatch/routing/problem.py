"""Turn a region's day in the database into a solver Problem, and a Solution back into rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.customers.models import Site
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.routing.engine import Break, Problem, Solution, Task, Vehicle, with_place
from dispatch.routing.rules import TimeWindow
from dispatch.routing.travel import TravelMatrix
from dispatch.schedule.models import RouteStop
from dispatch.technicians.models import WEEKDAYS, Absence, Shift, Technician
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

PRIORITY_WEIGHT = {"high": 100, "medium": 50, "low": 10}
LUNCH_BREAK_ID = 1


@dataclass(frozen=True, slots=True)
class VisitRow:
    """What routing reads of a booked visit, as plain columns: safe to keep after its session."""

    id: int
    technician_id: int | None
    window_start: datetime
    window_end: datetime
    duration_minutes: int
    required_skill: str | None
    required_level: int
    priority: str
    lat: float | None
    lon: float | None
    pinned_technician: bool
    pinned_start: datetime | None
    planned_start: datetime | None


@dataclass
class DayProblem:
    """A solver problem with the keys to map its numbers back to the day's rows."""

    problem: Problem
    day_start: datetime  # local midnight: second 0 of the problem's clock
    technicians: dict[int, Technician]
    visits: dict[int, VisitRow]
    skill_ids: dict[str, int] = field(default_factory=dict)
    points: list[tuple[float, float]] = field(default_factory=list)  # by location index

    def at(self, seconds: int) -> datetime:
        """Return the instant of a problem second."""
        return self.day_start + timedelta(seconds=seconds)

    def seconds(self, moment: datetime) -> int:
        """Return the problem second of an instant."""
        return int((moment - self.day_start).total_seconds())

    def with_place(self, place: tuple[float, float], travel: TravelMatrix):
        """Return the problem plus a place not booked yet, and the place's location index."""
        to_place, from_place = travel.to_and_from(self.points, place)
        return with_place(self.problem, to_place, from_place)

    def candidate(
        self,
        *,
        location: int,
        minutes: int,
        skill: str | None,
        level: int,
        window: tuple[datetime, datetime],
        pinned_technician_id: int | None = None,
    ) -> Task:
        """Return the task of a visit that is not booked yet (id 0), for slot search."""
        skills = frozenset()
        if skill:  # a skill nobody has gets a fresh id, so the visit is reported unplaceable
            skills = frozenset({(self.skill_ids.get(skill, len(self.skill_ids)), level)})
        return Task(
            id=0,
            location_index=location,
            service=minutes * 60,
            skills=skills,
            windows=(TimeWindow(self.seconds(window[0]), self.seconds(window[1])),),
            pinned_vehicle_id=pinned_technician_id,
        )


_ROW_COLUMNS = (
    Visit.id,
    Visit.technician_id,
    Visit.window_start,
    Visit.window_end,
    Visit.duration_minutes,
    Visit.required_skill,
    Visit.required_level,
    Visit.priority,
    Site.lat,
    Site.lon,
    RouteStop.pinned_technician,
    RouteStop.pinned_start,
    RouteStop.planned_start,
)


def region_day_visits(
    session: Session, region: Region, day_start: datetime, only: set[int] | None = None
) -> list[VisitRow]:
    """Return the not-yet-started visits of a region whose window opens that day (or of
    `only` those visit ids among them), read as columns in one query."""
    query = (
        select(*_ROW_COLUMNS)
        .join(ServiceRequest, Visit.request_id == ServiceRequest.id)
        .join(Site, ServiceRequest.site_id == Site.id)
        .join(RouteStop, RouteStop.visit_id == Visit.id)
        .where(
            Site.region_id == region.id,
            Visit.status == VisitStatus.SCHEDULED,
            Visit.window_start >= day_start,
            Visit.window_start < day_start + timedelta(days=1),
        )
        .order_by(Visit.id)
    )
    if only is not None:
        query = query.where(Visit.id.in_(sorted(only)))
    return [VisitRow(*row) for row in session.execute(query)]


def region_technicians(session: Session, region: Region, allow_neighbours: bool):
    """Return the dispatchable technicians serving a region (and its neighbours' if allowed)."""
    neighbours = set(region.neighbour_ids or []) if allow_neighbours else set()
    candidates = session.scalars(
        select(Technician).where(Technician.active, Technician.certified).order_by(Technician.id)
    )
    return [t for t in candidates if t.serves_region(region.id) or t.region_id in neighbours]


def build(
    session: Session,
    *,
    region: Region,
    day: date,
    travel: TravelMatrix,
    allow_neighbours: bool = False,
    from_time: datetime | None = None,
    keep_booked_times: bool = False,
) -> DayProblem:
    """Build the problem of one region and day from the database.

    With `keep_booked_times`, visits already given a start keep it (slot
    search must not move what customers were promised); the planner may move them.
    """
    tz = ZoneInfo(region.timezone)
    day_start = datetime.combine(day, time.min, tz)
    visits = region_day_visits(session, region, day_start)
    technicians = region_technicians(session, region, allow_neighbours)
    absences = _absences(session, [t.id for t in technicians], day_start)
    shifts = _shifts(session, [t.id for t in technicians], day)
    points: list[tuple[float, float]] = []

    def index(lat, lon) -> int | None:
        if lat is None or lon is None:
            return None
        points.append((lat, lon))
        return len(points) - 1

    skill_ids = _skill_ids(technicians, visits)
    result = DayProblem(None, day_start, {}, {v.id: v for v in visits}, skill_ids)  # type: ignore
    vehicles = []
    for tech in technicians:
        vehicle = _vehicle(
            result,
            tech,
            shifts.get(tech.id),
            absences.get(tech.id, []),
            from_time,
            index,
            skill_ids,
        )
        if vehicle is not None:
            vehicles.append(vehicle)
            result.technicians[tech.id] = tech
    tasks = [_task(result, v, index(v.lat, v.lon), skill_ids, keep_booked_times) for v in visits]
    result.points = points
    durations = travel.table(points) if points else None
    result.problem = Problem(
        coordinates=[_planar(lat, lon) for lat, lon in points],
        vehicles=tuple(vehicles),
        tasks=tuple(tasks),
        durations=durations.durations if durations else [],
        distances=durations.distances if durations else None,
    )
    return result


def _planar(lat: float, lon: float) -> tuple[int, int]:
    """Return local planar coordinates (about a metre a unit) for solvers that want them."""
    return round(lon * 111_320 * math.cos(math.radians(lat))), round(lat * 110_574)


def _skill_ids(technicians, visits) -> dict[str, int]:
    names = {n for t in technicians for n in (t.skills or {})}
    names |= {v.required_skill for v in visits if v.required_skill}
    return {name: i for i, name in enumerate(sorted(names))}


def _shifts(session, technician_ids, day: date) -> dict[int, Shift]:
    rows = session.scalars(
        select(Shift).where(Shift.technician_id.in_(technician_ids), Shift.day == day)
    )
    return {s.technician_id: s for s in rows}


def _absences(session, technician_ids, day_start: datetime) -> dict[int, list[Absence]]:
    rows = session.scalars(
        select(Absence)
        .where(
            Absence.technician_id.in_(technician_ids),
            Absence.starts_at < day_start + timedelta(1),
            Absence.ends_at > day_start,
        )
        .order_by(Absence.starts_at)
    )
    found: dict[int, list[Absence]] = {}
    for row in rows:
        found.setdefault(row.technician_id, []).append(row)
    return found


def working_period(tech: Technician, shift: Shift | None, day_start: datetime):
    """Return (start, end) of the technician's work that day, or None on a day off."""
    if shift is not None:
        return shift.starts_at, shift.ends_at
    hours = (tech.working_hours or {}).get(WEEKDAYS[day_start.weekday()])
    if not hours:
        return None
    start, end = (time.fromisoformat(h) for h in hours)
    return (
        datetime.combine(day_start.date(), start, day_start.tzinfo),
        datetime.combine(day_start.date(), end, day_start.tzinfo),
    )


def _vehicle(day, tech, shift, absences, from_time, index, skill_ids) -> Vehicle | None:
    period = working_period(tech, shift, day.day_start)
    if period is None:
        return None
    start, end = period
    if from_time is not None:
        start = max(start, from_time)
    breaks = []
    for absence in absences:  # an absence at either end shortens the day, inside it is a break
        if absence.starts_at <= start:
            start = max(start, absence.ends_at)
        elif absence.ends_at >= end:
            end = min(end, absence.starts_at)
        else:
            at = day.seconds(absence.starts_at)
            breaks.append(
                Break(len(breaks) + 2, (TimeWindow(at, at),), day.seconds(absence.ends_at) - at)
            )
    if start >= end:
        return None
    lunch = _lunch(day, tech, start, end)
    home = index(tech.home_lat, tech.home_lon)
    end_place = index(tech.end_lat, tech.end_lon) if tech.end_lat is not None else home
    return Vehicle(
        id=tech.id,
        shift=TimeWindow(day.seconds(start), day.seconds(end)),
        start_index=home,
        end_index=end_place,
        skills=frozenset((skill_ids[n], int(lv)) for n, lv in (tech.skills or {}).items()),
        breaks=tuple(([lunch] if lunch else []) + breaks),
        max_tasks=tech.max_visits_per_day,
        max_travel_time=tech.max_travel_minutes * 60 if tech.max_travel_minutes else None,
    )


def _lunch(day, tech, start: datetime, end: datetime) -> Break | None:
    earliest = datetime.combine(day.day_start.date(), tech.lunch_earliest, day.day_start.tzinfo)
    latest = datetime.combine(day.day_start.date(), tech.lunch_latest, day.day_start.tzinfo)
    latest_start = latest - timedelta(minutes=tech.lunch_minutes)
    if tech.lunch_minutes <= 0 or latest_start < max(earliest, start) or earliest >= end:
        return None  # a shift that does not span lunch time takes no lunch break
    window = TimeWindow(day.seconds(max(earliest, start)), day.seconds(latest_start))
    return Break(LUNCH_BREAK_ID, (window,), tech.lunch_minutes * 60)


def _task(day: DayProblem, visit: VisitRow, location: int, skill_ids, keep_booked: bool) -> Task:
    latest = visit.window_end  # lateness tolerance 0: service starts before the window ends
    windows = (TimeWindow(max(day.seconds(visit.window_start), 0), day.seconds(latest)),)
    skills = frozenset()
    if visit.required_skill:
        skills = frozenset({(skill_ids[visit.required_skill], visit.required_level)})
    return Task(
        id=visit.id,
        location_index=location,
        service=visit.duration_minutes * 60,
        skills=skills,
        windows=windows,
        priority=PRIORITY_WEIGHT.get(visit.priority, 50),
        pinned_vehicle_id=visit.technician_id if visit.pinned_technician else None,
        pinned_time=day.seconds(fixed) if (fixed := _fixed_start(visit, keep_booked)) else None,
    )


def _fixed_start(visit: VisitRow, keep_booked: bool) -> datetime | None:
    if visit.pinned_start:
        return visit.pinned_start
    if keep_booked and visit.technician_id is not None:
        return visit.planned_start
    return None


def solution_summary(day: DayProblem, solution: Solution) -> dict:
    """Return a JSON-ready plan: ordered stops and breaks with times, and the unassigned."""
    routes = []
    for route in solution.routes:
        stops = [_step(day, step, "visit_id") for step in route.steps if step.kind == "task"]
        if stops:
            routes.append(
                {
                    "technician_id": route.vehicle_id,
                    "technician": day.technicians[route.vehicle_id].name,
                    "home": _home(day.technicians[route.vehicle_id]),
                    "travel_seconds": route.travel_time,
                    "distance_m": route.distance,
                    "stops": stops,
                    "breaks": [_step(day, s, "break_id") for s in route.steps if s.kind == "break"],
                }
            )
    return {
        "routes": routes,
        "unassigned": [
            {
                "visit_id": u.task_id,
                "reason": u.reason,
                "lat": day.visits[u.task_id].lat,
                "lon": day.visits[u.task_id].lon,
            }
            for u in solution.unassigned
        ],
        "travel_seconds": solution.travel_time,
        "solver": solution.solver,
    }


def _step(day: DayProblem, step, key: str) -> dict:
    found = {
        key: step.id,
        "arrival": day.at(step.arrival).isoformat(),
        "start": day.at(step.start).isoformat(),
    }
    if key == "visit_id":  # where, so the console can draw the route on a map
        visit = day.visits[step.id]
        found |= {"lat": visit.lat, "lon": visit.lon}
    return found


def _home(tech) -> list[float] | None:
    return [tech.home_lat, tech.home_lon] if tech.home_lat is not None else None
