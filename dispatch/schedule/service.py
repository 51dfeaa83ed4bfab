"""The one way onto and off a technician's day: find, reserve, assign, release, finish.

Slot search and booking ask the same question of the same day (`_fit`), and a placement is
only offered when the span it would reserve is free in the database's terms too, so every
window slot search lists is one booking accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch.booking import rules as booking_rules
from dispatch.clock import utc_text, utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import Conflict
from dispatch.routing.engine import Insertion, Problem, Route, StepKind, Unassigned, insert
from dispatch.routing.rules import NO_FEASIBLE_SLOT
from dispatch.schedule import days, rules
from dispatch.schedule.days import each as each_day
from dispatch.technicians.models import Technician
from dispatch.visits.models import Visit

# Offer no window that starts sooner than this: someone has to get there.
LEAD_TIME = timedelta(hours=1)
ALTERNATIVES_DAYS = 5
ALTERNATIVES_SHOWN = 6
# The PostgreSQL guard against two overlapping holds of one technician (migration 0014).
NO_OVERLAP = "route_stops_no_overlap"


@dataclass(frozen=True)
class Placement:
    """Where a visit fits: the window, who goes and when they start."""

    window_start: datetime
    window_end: datetime
    technician_id: int
    planned_start: datetime


@dataclass(frozen=True)
class Need:
    """What the visit needs: where, how long, which skill; and which visit it replaces."""

    site: Site
    minutes: int
    skill: str | None = None
    level: int = 1
    technician_id: int | None = None  # only this technician (a dispatcher's choice)
    moving_visit_id: int | None = None  # a reschedule: the visit's own slot is free again


@dataclass(frozen=True)
class _Seen:
    """A region's day seen from the new visit's place: the day, its routes, the place."""

    day: days.RegionDay
    problem: Problem
    location: int
    routes: dict[int, Route]


def _seen(session: Session, config: Config, need: Need, day: date) -> _Seen:
    """Return the region's day (cached while unchanged) with the new place added once."""
    return _seen_on(config, need, days.get(session, config, need.site.region, day))


def _seen_on(config: Config, need: Need, region_day: days.RegionDay) -> _Seen:
    routes, broken = days.current_routes(region_day, leave_out=need.moving_visit_id)
    problem, location = region_day.built.with_place(
        (need.site.lat, need.site.lon), days.travel_matrix_for(config)
    )
    # A technician whose day cannot be timed as it stands takes nothing new.
    problem = replace(problem, vehicles=tuple(v for v in problem.vehicles if v.id not in broken))
    return _Seen(region_day, problem, location, {r.vehicle_id: r for r in routes})


def _fit(seen: _Seen, need: Need, window, task=None) -> tuple[Insertion, datetime] | Unassigned:
    """Return the cheapest insertion that moves nobody and takes no held time, or why not."""
    built = seen.day.built
    task = task or built.candidate(
        location=seen.location,
        minutes=need.minutes,
        skill=need.skill,
        level=need.level,
        window=window,
        pinned_technician_id=need.technician_id,
    )
    problem = seen.problem
    while problem.vehicles:
        found = insert(problem, list(seen.routes.values()), task)
        if not isinstance(found, Insertion):
            return found
        start = built.at(found.route.steps[found.position].start)
        span = rules.reserved_span(start, task.service // 60)
        held = seen.day.held_by(found.vehicle_id)
        if not rules.clashes(span, held, need.moving_visit_id) and _keeps_others(
            seen.routes.get(found.vehicle_id), found.route, task.id
        ):
            return found, start
        # That technician cannot take it without moving someone: ask the others.
        problem = replace(
            problem, vehicles=tuple(v for v in problem.vehicles if v.id != found.vehicle_id)
        )
    return Unassigned(task.id, NO_FEASIBLE_SLOT)


def _keeps_others(before: Route | None, after: Route, new_id: int) -> bool:
    """Tell whether every visit already on the route starts when it did."""
    if before is None:
        return True
    was = {s.id: s.start for s in before.steps if s.kind is StepKind.TASK}
    return all(
        was.get(s.id) == s.start for s in after.steps if s.kind is StepKind.TASK and s.id != new_id
    )


def _placement(seen: _Seen, need: Need, window) -> Placement | None:
    fitted = _fit(seen, need, window)
    if isinstance(fitted, Unassigned):
        return None
    return Placement(window[0], window[1], fitted[0].vehicle_id, fitted[1])


def free_windows(
    session: Session, *, config: Config, need: Need, days: int, most: int | None = None
) -> list[Placement]:
    """Return every window over the next `days` days that a technician can really keep
    (in time order; with `most`, only the first `most` of them, reading no further day)."""
    if need.site.region is None:
        return []
    tz = need.site.region.timezone
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    earliest = utcnow() + LEAD_TIME
    wanted = {}
    for offset in range(days):
        day = today + timedelta(days=offset)
        windows = [
            w
            for w in booking_rules.candidate_windows(
                day,
                tz,
                config.contact_window_start,
                config.contact_window_end,
                config.appointment_window_minutes,
            )
            if w[0] >= earliest
        ]
        if windows:
            wanted[day] = windows
    found: list[Placement] = []
    # Whether any of the days changed is one question, whatever the number of days.
    for day, region_day in each_day(session, config, need.site.region, list(wanted)):
        seen = _seen_on(config, need, region_day)
        for window in wanted[day]:
            if most is not None and len(found) >= most:
                return found
            if placement := _placement(seen, need, window):
                found.append(placement)
    return found


def place(
    session: Session, *, config: Config, need: Need, window: tuple[datetime, datetime]
) -> Placement | None:
    """Return who can keep this exact window and when they would start, or None."""
    if need.site.region is None:
        return None
    day = window[0].astimezone(ZoneInfo(need.site.region.timezone)).date()
    return _placement(_seen(session, config, need, day), need, window)


def alternatives(
    session: Session, config: Config, need: Need, refused: tuple[datetime, datetime]
) -> list[dict]:
    """Return some free windows to offer instead of a refused one (never that one)."""
    # The first few in time order are shown; one more in case the refused one is among them.
    found = [
        {"window_start": utc_text(p.window_start), "window_end": utc_text(p.window_end)}
        for p in free_windows(
            session, config=config, need=need, days=ALTERNATIVES_DAYS, most=ALTERNATIVES_SHOWN + 1
        )
    ]
    return rules.other_windows(found, refused)[:ALTERNATIVES_SHOWN]


def _taken(session: Session, config: Config, need: Need, window, message: str) -> Conflict:
    return Conflict(
        message,
        error_code="window_taken",
        details={"alternatives": alternatives(session, config, need, window)},
    )


def reserve(session: Session, config: Config, visit: Visit, need: Need) -> Placement:
    """Put the visit in its window on a technician's day, or refuse with alternatives."""
    window = (visit.window_start, visit.window_end)
    placement = place(session, config=config, need=need, window=window)
    technician = placement and _locked_if_free(session, visit, placement)
    if technician is None:
        raise _taken(session, config, need, window, "No technician can keep that window")
    visit.hold(placement.technician_id, placement.planned_start)
    visit.technician = technician  # the row just locked: the messages need not load it again
    return placement


def _locked_if_free(session: Session, visit: Visit, placement: Placement) -> Technician | None:
    """Lock the technician's row and return it if the placement's span is still free.

    The row lock serialises bookings of one person (never of a region: two technicians'
    bookings run side by side); the held spans are read after it, by a statement of their
    own, so they include what a booking that held the lock before committed. The exclusion
    constraint on PostgreSQL is the last word if two requests still race past this check.
    """
    technician = session.scalars(
        select(Technician).where(Technician.id == placement.technician_id).with_for_update()
    ).one()
    span = rules.reserved_span(placement.planned_start, visit.duration_minutes)
    held = days.held_spans(session, [placement.technician_id], *span)
    if rules.clashes(span, held.get(placement.technician_id, ()), visit.id):
        return None
    return technician


def save_reserved(session: Session, config: Config, visit: Visit, need: Need | None, save):
    """Run `save` (which flushes) so a race lost on the exclusion constraint becomes a 409."""
    try:
        with session.begin_nested():
            save()
    except IntegrityError as exc:
        window = (visit.window_start, visit.window_end)
        raise Conflict(
            "That time was just taken; please pick another window",
            error_code="window_taken",
            details={"alternatives": alternatives(session, config, need, window) if need else []},
        ) from exc


@dataclass(frozen=True)
class Move:
    """A not-yet-started visit going onto a technician's day at `start` (or off every day)."""

    visit: Visit
    technician_id: int | None
    start: datetime | None


def refuse_held(session: Session, moves: list[Move]) -> None:
    """Refuse moves onto time held by a visit that is not moving itself (409 `time_held`).

    The planner and a dispatcher's pin see only waiting visits of one region; visits under way
    or finished, and visits in other regions, hold time they cannot see.
    """
    moving = {m.visit.id for m in moves}
    found = []
    for move in moves:
        if move.technician_id is None or move.start is None:
            continue
        span = rules.reserved_span(move.start, move.visit.duration_minutes)
        held = days.held_spans(session, [move.technician_id], *span).get(move.technician_id, ())
        staying = [h for h in held if h.visit_id not in moving]
        if staying:
            found.append(
                {
                    "visit_id": move.visit.id,
                    "technician_id": move.technician_id,
                    "held_by": staying[0].visit_id,
                }
            )
    if found:
        raise Conflict(
            "The technician's time is already held by another visit; plan again",
            error_code="time_held",
            details={"visits": found},
        )


def save_moves(session: Session, save) -> None:
    """Run `save` with the no-overlap guard checked once at its end (visits may swap times).

    A clash the guard still finds (a race with another request) becomes a 409, never a 500.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    try:
        with session.begin_nested():
            if postgres:
                session.execute(text(f"SET CONSTRAINTS {NO_OVERLAP} DEFERRED"))
            save()
            session.flush()
            if postgres:
                session.execute(text(f"SET CONSTRAINTS {NO_OVERLAP} IMMEDIATE"))
    except IntegrityError as exc:
        raise Conflict(
            "That time was just taken; please plan again",
            error_code="time_held",
            details={"visits": []},
        ) from exc


def assign(visit: Visit, *, technician_id, start, position=None, plan_id=None) -> None:
    """Put a not-yet-started visit on a technician's route at `start` (or off every route)."""
    visit.hold(technician_id, start)
    visit.route_stop.place(position, plan_id)


def pin(visit: Visit, *, technician: bool, start: datetime | None) -> None:
    """Record what the planner must keep of the visit: its technician and/or its start."""
    visit.route_stop.pin(technician, start)
    visit.touch()


def insertion(session: Session, config: Config, visit: Visit) -> tuple[Insertion, datetime, dict]:
    """Return the cheapest place for a booked visit on its day, its start and the day's visits.

    Raises Conflict when nobody can take it without moving another visit.
    """
    region = visit.request.site.region
    day = visit.window_start.astimezone(ZoneInfo(region.timezone)).date()
    need = Need(site=visit.request.site, minutes=visit.duration_minutes, moving_visit_id=visit.id)
    seen = _seen(session, config, need, day)
    task = seen.day.built.problem.task_by_id[visit.id]
    fitted = _fit(seen, need, None, task=task)
    if isinstance(fitted, Unassigned):
        raise Conflict(
            "No technician can fit this visit",
            error_code="no_feasible_slot",
            details={"reason": fitted.reason},
        )
    steps = fitted[0].route.steps
    starts = {s.id: seen.day.built.at(s.start) for s in steps if s.kind is StepKind.TASK}
    return fitted[0], fitted[1], starts


def release(visit: Visit) -> None:
    """Free the time of a visit taken off the calendar (cancel, no-show); keep who it was."""
    visit.hold(visit.technician_id, None)


def finish(visit: Visit, at: datetime) -> None:
    """Keep only the reserved time a finished visit used (see dispatch.schedule.rules)."""
    visit.keep_held(rules.used_span(visit.route_stop.reserved, at))
