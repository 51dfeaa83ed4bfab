"""Slot search: windows in which a qualified technician of the region can really fit a visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dispatch.booking import days, rules
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.routing import problem as day_problem
from dispatch.routing.engine import Insertion, Problem, insert
from dispatch.routing.insertion import current_routes
from dispatch.routing.service import travel_matrix_for

# Offer no window that starts sooner than this: someone has to get there.
LEAD_TIME = timedelta(hours=1)


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
class _Day:
    """A region's day seen from the new visit's place: the day, its routes, the place."""

    built: day_problem.DayProblem
    problem: Problem
    location: int
    routes: list


def _day(session: Session, config: Config, need: Need, day: date) -> _Day:
    """Return the region's day (cached while unchanged) with the new place added once."""
    built = days.get(session, config, need.site.region, day)
    routes, broken = current_routes(built, leave_out=need.moving_visit_id)
    problem, location = built.with_place((need.site.lat, need.site.lon), travel_matrix_for(config))
    return _Day(built, problem, location, [r for r in routes if r.vehicle_id not in broken])


def _fit(day: _Day, need: Need, window) -> Placement | None:
    task = day.built.candidate(
        location=day.location,
        minutes=need.minutes,
        skill=need.skill,
        level=need.level,
        window=window,
        pinned_technician_id=need.technician_id,
    )
    found = insert(day.problem, day.routes, task)
    if not isinstance(found, Insertion):
        return None
    start = day.built.at(found.route.steps[found.position].start)
    return Placement(window[0], window[1], found.vehicle_id, start)


def free_windows(session: Session, *, config: Config, need: Need, days: int) -> list[Placement]:
    """Return every window over the next `days` days that a technician can really keep."""
    if need.site.region is None:
        return []
    tz = need.site.region.timezone
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    earliest = utcnow() + LEAD_TIME
    found = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        windows = [
            w
            for w in rules.candidate_windows(
                day,
                tz,
                config.contact_window_start,
                config.contact_window_end,
                config.appointment_window_minutes,
            )
            if w[0] >= earliest
        ]
        if not windows:
            continue
        seen = _day(session, config, need, day)
        found.extend(p for w in windows if (p := _fit(seen, need, w)))
    return found


def place(
    session: Session, *, config: Config, need: Need, window: tuple[datetime, datetime]
) -> Placement | None:
    """Return who can keep this exact window and when they would start, or None."""
    if need.site.region is None:
        return None
    day = window[0].astimezone(ZoneInfo(need.site.region.timezone)).date()
    return _fit(_day(session, config, need, day), need, window)
