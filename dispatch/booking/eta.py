"""When the technician should arrive, once they are on the way."""

from __future__ import annotations

from datetime import datetime, timedelta

from dispatch.config import Config
from dispatch.schedule.days import travel_matrix_for
from dispatch.visits.models import Visit


def eta(visit: Visit, config: Config) -> datetime | None:
    """Return the expected arrival of a visit whose technician is en route, else None."""
    technician, site = visit.technician, visit.request.site
    if not visit.travelling or visit.en_route_at is None or technician is None:
        return None
    if technician.home_lat is None or site is None or site.lat is None:
        return visit.route_stop.planned_start
    table = travel_matrix_for(config).table(
        [(technician.home_lat, technician.home_lon), (site.lat, site.lon)]
    )
    return visit.en_route_at + timedelta(seconds=table.durations[0][1])
