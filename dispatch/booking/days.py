"""Built region-days, kept while nothing on them changed: slot search asks the same day often."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.routing import problem as day_problem
from dispatch.routing.service import travel_matrix_for
from dispatch.technicians.models import Absence, Shift, Technician
from dispatch.visits.models import Visit

MAX_DAYS = 64
# Technicians' hours and skills carry no change stamp; a built day is never older than this.
MAX_AGE_SECONDS = 60

_lock = threading.Lock()
_days: OrderedDict[tuple, tuple[tuple, float, day_problem.DayProblem]] = OrderedDict()


def get(session: Session, config: Config, region: Region, day: date) -> day_problem.DayProblem:
    """Return the built day of a region, rebuilding it when its visits or staff changed."""
    key = (config.effective_database_url, region.id, day)
    stamp = _fingerprint(session, region, day)
    with _lock:
        cached = _days.get(key)
        if cached and cached[0] == stamp and time.monotonic() - cached[1] < MAX_AGE_SECONDS:
            _days.move_to_end(key)
            return cached[2]
    built = _detached(
        day_problem.build(
            session,
            region=region,
            day=day,
            travel=travel_matrix_for(config),
            keep_booked_times=True,
        )
    )
    with _lock:
        _days[key] = (stamp, time.monotonic(), built)
        while len(_days) > MAX_DAYS:
            _days.popitem(last=False)
    return built


@dataclass(frozen=True)
class BookedVisit:
    """What slot search reads of a booked visit; safe to keep after its session is gone."""

    id: int
    technician_id: int | None
    planned_start: datetime | None
    window_start: datetime


def _detached(built: day_problem.DayProblem) -> day_problem.DayProblem:
    # Sessions end (and roll back) after each request; a kept day holds no ORM rows.
    built.visits = {
        v.id: BookedVisit(v.id, v.technician_id, v.planned_start, v.window_start)
        for v in built.visits.values()
    }
    built.technicians = {}
    return built


def _fingerprint(session: Session, region: Region, day: date) -> tuple:
    """Return what changes whenever a visit, shift, absence or technician of the day changes."""
    start = datetime.combine(day, datetime.min.time(), ZoneInfo(region.timezone))
    visits = session.execute(
        select(func.count(Visit.id), func.max(Visit.changed_at), func.max(Visit.version))
        .join(ServiceRequest)
        .join(Site, ServiceRequest.site_id == Site.id)
        .where(
            Site.region_id == region.id,
            Visit.window_start >= start,
            Visit.window_start < start + timedelta(days=1),
        )
    ).one()
    staff = session.execute(
        select(
            select(func.count(Technician.id)).scalar_subquery(),
            select(func.max(Shift.id)).scalar_subquery(),
            select(func.max(Absence.id)).scalar_subquery(),
        )
    ).one()
    return tuple(visits) + tuple(staff)


def clear() -> None:
    """Forget every kept day (tests, or after bulk changes to technicians)."""
    with _lock:
        _days.clear()
