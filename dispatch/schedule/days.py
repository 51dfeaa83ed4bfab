"""A region's technicians' days as the owner sees them: routes, fixed holds, breaks, travel.

Built region-days are kept while nothing on them changed: slot search asks the same day often.
When visits changed (a booking, a cancel), only those are read again (`refresh`); a change of
staff, or a day older than MAX_AGE_SECONDS, builds it again.
The kept days hang off the Flask app (`app.extensions`); without an app (a script, the worker)
every day is built afresh, which is always correct, only slower.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dispatch.config import Config
from dispatch.db import session_scope
from dispatch.regions.models import Region
from dispatch.routing import problem as day_problem
from dispatch.routing.engine import Break, Problem, Route, Task, Vehicle, timed_route
from dispatch.routing.rules import TimeWindow, effective_windows
from dispatch.routing.travel import GeodesicTravelMatrix, OsrmTravelMatrix, TravelMatrix
from dispatch.schedule.models import RouteStop
from dispatch.schedule.rules import Held
from dispatch.technicians.models import Absence, Shift, Technician
from dispatch.visits.models import Visit

MAX_DAYS = 64
# Technicians' hours and skills carry no change stamp; a built day is never older than this.
MAX_AGE_SECONDS = 60
# A kept day with more changed visits than this is built again rather than refreshed.
REFRESH_MOST = 40
# Break ids of time held outside the region-day's routes (lunch is 1, absences count from 2).
HOLD_BREAK_BASE = 1_000_000

EXTENSION = "dispatch.schedule.days"


def travel_matrix_for(config: Config) -> TravelMatrix:
    """Return the travel-time source the configuration names."""
    if config.travel_matrix == "osrm":
        return OsrmTravelMatrix(config.osrm_url, on_disclosure=routing_disclosed)
    return GeodesicTravelMatrix(config.travel_speed_kmh, config.travel_detour_factor)


def routing_disclosed(count: int) -> None:
    """Record, in its own transaction, that coordinates went to the routing service (PRV-13)."""
    from dispatch.privacy.service import disclose

    with session_scope() as session:
        disclose(session, "routing", customer_id=None, reference=f"table:{count} points")


def holds_time():
    """Return the SQL condition of a stop holding technician time (as route_stops_no_overlap).

    Cancelling or missing a visit frees its time, so a cancelled visit never holds any.
    """
    return RouteStop.reserved_start.is_not(None)


@dataclass
class RegionDay:
    """The routes' problem of a region's day plus every span its technicians hold that day.

    Time held outside the day's routes (visits under way or finished, visits in another region)
    is a fixed break on the technician's vehicle, so routes and slot search work around it.
    """

    built: day_problem.DayProblem
    held: dict[int, tuple[Held, ...]] = field(default_factory=dict)
    # The vehicles before held time was blocked on them, and each visit's (version, changed_at)
    # when the day was read: what `refresh` starts from.
    base_vehicles: tuple[Vehicle, ...] = ()
    marks: dict[int, tuple] = field(default_factory=dict)
    # Each technician's timed route (None: its order cannot be kept), worked out on first use;
    # a kept day is never changed, so neither are they. Two threads may both work them out.
    _routes: dict[int, Route | None] | None = field(default=None, repr=False)
    # Routes a refresh carried over from the day before it (their technicians did not change).
    _carried: dict[int, Route | None] = field(default_factory=dict, repr=False)

    def held_by(self, technician_id: int) -> tuple[Held, ...]:
        return self.held.get(technician_id, ())

    def routes(self) -> dict[int, Route | None]:
        """Return every assigned technician's route as booked, timed once per built day."""
        if self._routes is None:
            assigned = _assigned(self, None)
            carried = self._carried
            self._routes = {
                t: carried[t] if t in carried else _timed(self, t, visits)
                for t, visits in assigned.items()
            }
        return self._routes


class KeptDays:
    """Built region-days with the fingerprint they were built at (newest last, at most MAX_DAYS)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._days: OrderedDict[tuple, tuple[tuple, float, RegionDay]] = OrderedDict()
        self._reading: dict[tuple, threading.Lock] = {}

    @contextmanager
    def reading(self, key: tuple) -> Iterator[None]:
        """Let one thread at a time bring a day up to date; the others wait, then find it kept.

        Concurrent bookings of one day would otherwise each refresh the same change. Only
        reads happen inside (no row locks), so a thread holding a technician's row can wait.
        """
        with self._lock:
            lock = self._reading.setdefault(key, threading.Lock())
        with lock:
            yield

    def find(self, key: tuple, stamp: tuple) -> RegionDay | None:
        with self._lock:
            cached = self._days.get(key)
            if cached and cached[0] == stamp and time.monotonic() - cached[1] < MAX_AGE_SECONDS:
                self._days.move_to_end(key)
                return cached[2]
        return None

    def previous(self, key: tuple, staff: tuple) -> tuple[RegionDay, float] | None:
        """Return the kept day (and when it was first built) whose staff are unchanged."""
        with self._lock:
            cached = self._days.get(key)
        fresh = cached and time.monotonic() - cached[1] < MAX_AGE_SECONDS
        if fresh and cached[0][_STAFF:] == staff:
            return cached[2], cached[1]
        return None

    def keep(self, key: tuple, stamp: tuple, built: RegionDay, at: float | None = None) -> None:
        with self._lock:
            self._days[key] = (stamp, time.monotonic() if at is None else at, built)
            while len(self._days) > MAX_DAYS:
                gone, _ = self._days.popitem(last=False)
                self._reading.pop(gone, None)

    def clear(self) -> None:
        """Forget every kept day (tests, or after bulk changes to technicians)."""
        with self._lock:
            self._days.clear()


def kept_days(app: Flask) -> KeptDays:
    """Return the app's kept region-days (made on first use)."""
    return app.extensions.setdefault(EXTENSION, KeptDays())


def get(session: Session, config: Config, region: Region, day: date) -> RegionDay:
    """Return the region's day: kept while unchanged, refreshed where its visits changed,
    rebuilt when its staff changed or it is MAX_AGE_SECONDS old."""
    ((_, found),) = each(session, config, region, [day])
    return found


def each(
    session: Session, config: Config, region: Region, wanted: list[date]
) -> Iterator[tuple[date, RegionDay]]:
    """Yield several days of a region in order, as `get` returns them, having asked once
    whether any of them changed; each day is read only when reached (callers may stop early)."""
    if not wanted or not has_app_context():
        for day in wanted:
            yield day, build(session, config, region, day)
        return
    stamps = _fingerprints(session, region, wanted)  # one row: the cheap question comes first
    for day in wanted:
        yield day, _kept_or_read(session, config, region, day, stamps[day])


def _kept_or_read(
    session: Session, config: Config, region: Region, day: date, stamp: tuple
) -> RegionDay:
    kept = kept_days(current_app)
    key = (config.effective_database_url, region.id, day)
    found = kept.find(key, stamp)
    if found is not None:
        return found
    with kept.reading(key):
        found = kept.find(key, stamp)  # another thread may have just read the same change
        if found is not None:
            return found
        # Read before the visits themselves, so a change committed meanwhile is never
        # recorded as seen without being read.
        marks = _marks(session, region, day)
        previous = kept.previous(key, stamp[_STAFF:])
        if previous is not None:
            found = refresh(session, config, region, previous[0], marks)
        if found is not None:
            kept.keep(key, stamp, found, at=previous[1])
        else:
            found = build(session, config, region, day, marks)
            kept.keep(key, stamp, found)
    return found


def build(
    session: Session, config: Config, region: Region, day: date, marks: dict | None = None
) -> RegionDay:
    """Build a region's day with every booked start kept and all held time blocked."""
    built = day_problem.build(
        session, region=region, day=day, travel=travel_matrix_for(config), keep_booked_times=True
    )
    base = built.problem.vehicles
    held = _holds(session, built, base)
    built.problem = replace(built.problem, vehicles=_blocked(built, base, held))
    # Sessions end (and roll back) after each request; a kept day holds no ORM rows.
    built.technicians = {}
    return RegionDay(built, held, base_vehicles=base, marks=dict(marks or {}))


def refresh(
    session: Session, config: Config, region: Region, old: RegionDay, marks: dict
) -> RegionDay | None:
    """Return the kept day brought up to date by re-reading only the visits that changed.

    Unchanged visits keep their tasks; changed ones are read again (a visit that left the
    region-day loses its task); a new place gets its travel row and column appended to a copy
    of the matrix; held time is read again whole. None when rebuilding is simpler: many
    changes, a skill the day has not seen, a visit without coordinates.
    """
    changed = {i for i, m in marks.items() if old.marks.get(i) != m}
    changed |= old.marks.keys() - marks.keys()
    if len(changed) > REFRESH_MOST:
        return None
    before = old.built
    rows = (
        day_problem.region_day_visits(session, region, before.day_start, only=changed)
        if changed
        else []
    )
    if any(
        r.lat is None or r.lon is None or r.required_skill not in (None, *before.skill_ids)
        for r in rows
    ):
        return None
    points = list(before.points)
    durations = [list(row) for row in before.problem._duration_rows]
    travel = travel_matrix_for(config)
    tasks = {t.id: t for t in before.problem.tasks if t.id not in changed}
    for row in rows:
        to_place, from_place = travel.to_and_from(points, (row.lat, row.lon))
        for line, seconds in zip(durations, to_place, strict=True):
            line.append(seconds)
        durations.append([*from_place, 0])
        points.append((row.lat, row.lon))
        tasks[row.id] = day_problem._task(
            before, row, len(points) - 1, before.skill_ids, keep_booked=True
        )
    visits = {i: v for i, v in before.visits.items() if i not in changed}
    visits |= {r.id: r for r in rows}
    built = day_problem.DayProblem(
        problem=Problem(
            vehicles=old.base_vehicles,
            tasks=tuple(tasks[i] for i in sorted(tasks)),
            durations=durations,
            # The kept places' coordinates as they were; only the new places' are worked out.
            coordinates=[
                *before.problem.coordinates,
                *(day_problem._planar(lat, lon) for lat, lon in points[len(before.points) :]),
            ],
        ),
        day_start=before.day_start,
        technicians={},
        visits=dict(sorted(visits.items())),
        skill_ids=before.skill_ids,
        points=points,
    )
    held = _held_again(session, built, old, changed)
    built.problem = replace(built.problem, vehicles=_blocked(built, old.base_vehicles, held))
    day = RegionDay(built, held, base_vehicles=old.base_vehicles, marks=dict(marks))
    if old._routes is not None:
        # A route depends on its technician's vehicle (held time included), its visits and
        # their order; where none of that changed, the timed route is the same.
        moved = {before.visits[i].technician_id for i in changed if i in before.visits}
        moved |= {r.technician_id for r in rows}
        was, now = before.problem.vehicle_by_id, built.problem.vehicle_by_id
        day._carried = {
            t: route
            for t, route in old._routes.items()
            if t not in moved and was.get(t) == now.get(t)
        }
    return day


def _holds(session: Session, built: day_problem.DayProblem, vehicles) -> dict:
    end = built.day_start + timedelta(days=1)
    return held_spans(session, [v.id for v in vehicles], built.day_start, end)


def _held_again(
    session: Session, built: day_problem.DayProblem, old: RegionDay, changed: set[int]
) -> dict[int, tuple[Held, ...]]:
    """Return the day's held time after a refresh, reading only the changed visits' spans:
    a span never changes without its visit's mark (every change of a route stop bumps the
    visit), so every other span is as the kept day has it."""
    if not changed:
        return old.held
    end = built.day_start + timedelta(days=1)
    ids = [v.id for v in old.base_vehicles]
    fresh = held_spans(session, ids, built.day_start, end, only=changed)
    merged = {t: [h for h in spans if h.visit_id not in changed] for t, spans in old.held.items()}
    for technician_id, spans in fresh.items():
        merged.setdefault(technician_id, []).extend(spans)
    return {t: tuple(sorted(spans, key=lambda h: h.start)) for t, spans in merged.items() if spans}


def _blocked(built: day_problem.DayProblem, vehicles, held: dict) -> tuple[Vehicle, ...]:
    """Return the vehicles with the time held outside the day's routes blocked on them."""
    in_routes = set(built.visits)
    return tuple(
        _with_holds(built, v, [h for h in held.get(v.id, ()) if h.visit_id not in in_routes])
        for v in vehicles
    )


def held_spans(
    session: Session,
    technician_ids: list[int],
    start: datetime,
    end: datetime,
    only: set[int] | None = None,
) -> dict[int, tuple[Held, ...]]:
    """Return the time each technician holds between start and end, in order (of the visits
    `only`, if given: those few rows are picked by visit, and by technician here)."""
    query = (
        select(
            RouteStop.visit_id,
            RouteStop.technician_id,
            RouteStop.reserved_start,
            RouteStop.reserved_end,
        )
        .where(holds_time(), RouteStop.reserved_start < end, RouteStop.reserved_end > start)
        .order_by(RouteStop.reserved_start)
    )
    if only is None:
        query = query.where(RouteStop.technician_id.in_(technician_ids))
    else:
        query = query.where(RouteStop.visit_id.in_(sorted(only)))
    wanted = set(technician_ids)
    found: dict[int, list[Held]] = {}
    for visit_id, technician_id, held_start, held_end in session.execute(query):
        if technician_id in wanted:
            found.setdefault(technician_id, []).append(Held(visit_id, held_start, held_end))
    return {k: tuple(v) for k, v in found.items()}


def _with_holds(day: day_problem.DayProblem, vehicle: Vehicle, held: list[Held]) -> Vehicle:
    """Block held time on a vehicle as fixed breaks (clipped to its shift)."""
    blocks = []
    for h in held:
        start = max(day.seconds(h.start), vehicle.shift.start)
        end = min(day.seconds(h.end), vehicle.shift.end)
        if start < end:
            blocks.append(
                Break(HOLD_BREAK_BASE + h.visit_id, (TimeWindow(start, start),), end - start)
            )
    return replace(vehicle, breaks=vehicle.breaks + tuple(blocks)) if blocks else vehicle


def current_routes(day: RegionDay, leave_out: int | None = None) -> tuple[list[Route], set[int]]:
    """Time each technician's assigned visits in their planned order.

    Returns the routes and the technicians whose present order cannot be kept (e.g. after a
    manual override); those take no insertion, because nothing can be promised on their day.
    A visit left out (it is moving) changes only its own technician's route.
    """
    timed = day.routes()
    moving = day.built.visits.get(leave_out) if leave_out is not None else None
    if moving is not None and moving.technician_id in timed:
        tech_id = moving.technician_id
        visits = _assigned(day, leave_out).get(tech_id, [])
        timed = timed | {tech_id: _timed(day, tech_id, visits) if visits else None}
        if not visits:
            del timed[tech_id]
    routes = [r for r in timed.values() if r is not None]
    return routes, {t for t, r in timed.items() if r is None}


def _assigned(day: RegionDay, leave_out: int | None) -> dict[int, list]:
    problem = day.built.problem
    assigned: dict[int, list] = {}
    for visit in day.built.visits.values():
        if visit.technician_id in problem.vehicle_by_id and visit.id != leave_out:
            assigned.setdefault(visit.technician_id, []).append(visit)
    return assigned


def _timed(day: RegionDay, tech_id: int, visits: list) -> Route | None:
    problem = day.built.problem
    vehicle = problem.vehicle_by_id[tech_id]
    visits = sorted(visits, key=lambda v: (v.planned_start or v.window_start, v.id))
    items = _with_breaks([problem.task_by_id[v.id] for v in visits], vehicle.breaks)
    return timed_route(problem, vehicle, items)


def _opens(item: Task) -> int:
    # A booked start counts, not the window it was booked in: the route runs in start order.
    return effective_windows(item)[0].start


def _with_breaks(tasks: list[Task], breaks: tuple[Break, ...]) -> list:
    """Place each break before the first task that starts after its window opens."""
    items: list = list(tasks)
    for brk in sorted(breaks, key=lambda b: b.windows[0].start):
        opens = brk.windows[0].start
        at = next(
            (
                i
                for i, t in enumerate(items)
                if isinstance(t, Task) and effective_windows(t) and _opens(t) >= opens
            ),
            len(items),
        )
        items.insert(at, brk)
    return items


def _touching(start: datetime, end: datetime):
    # Any visit touching the day counts, whatever its region: technicians may serve several.
    return or_(
        (Visit.window_start >= start) & (Visit.window_start < end),
        (RouteStop.reserved_start < end) & (RouteStop.reserved_end > start),
    )


def _bounds(region: Region, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(region.timezone))
    return start, start + timedelta(days=1)


_STAFF = 3  # the fingerprint's fields before the staff's


def _fingerprints(session: Session, region: Region, wanted: list[date]) -> dict[date, tuple]:
    """Return, for each day, what changes whenever a visit, shift, absence or technician of
    the day changes (one query for all the days: it is asked before every slot search and
    booking)."""
    touching = {day: _touching(*_bounds(region, day)) for day in wanted}
    # Every ORM update bumps a version (a change of its route stop touches the visit too), so
    # the sum moves even when the clock stands still.
    per_day = [
        column
        for condition in touching.values()
        for column in (
            func.count(Visit.id).filter(condition),
            func.sum(Visit.version).filter(condition),
            func.max(Visit.changed_at).filter(condition),
        )
    ]
    row = session.execute(
        select(
            *per_day,
            select(func.count(Technician.id)).scalar_subquery(),
            select(func.max(Shift.id)).scalar_subquery(),
            select(func.max(Absence.id)).scalar_subquery(),
        )
        .select_from(Visit)
        .join(RouteStop, RouteStop.visit_id == Visit.id)
        .where(or_(*touching.values()))
    ).one()
    staff = tuple(row[len(per_day) :])
    return {day: (*row[3 * k : 3 * k + 3], *staff) for k, day in enumerate(touching)}


def _marks(session: Session, region: Region, day: date) -> dict[int, tuple]:
    """Return (version, changed_at) of every visit touching the day: what `refresh` compares.

    The change time tells apart two transactions that bumped one version, one rolled back.
    """
    start, end = _bounds(region, day)
    rows = session.execute(
        select(Visit.id, Visit.version, Visit.changed_at)
        .join(RouteStop, RouteStop.visit_id == Visit.id)
        .where(_touching(start, end))
    )
    return {visit_id: (version, changed) for visit_id, version, changed in rows}
