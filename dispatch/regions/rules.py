"""Pure rules of regions: geometry, and the contact window (APT-13)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def into_contact_window(moment: datetime, tz: str, start: time, end: time) -> datetime:
    """Return the first instant at or after `moment` inside the local contact window."""
    local = moment.astimezone(ZoneInfo(tz))
    if local.time() < start:
        local = datetime.combine(local.date(), start, local.tzinfo)
    elif local.time() > end:
        local = datetime.combine(local.date() + timedelta(days=1), start, local.tzinfo)
    return local.astimezone(moment.tzinfo)


def point_in_polygon(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Return whether (lon, lat) lies inside the ring (ray casting; edges count as inside)."""
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % count]
        if (y1 > lat) != (y2 > lat):
            cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon == cross:
                return True
            if lon < cross:
                inside = not inside
        elif y1 == y2 == lat and min(x1, x2) <= lon <= max(x1, x2):
            return True
    return inside


def region_containing(lon: float, lat: float, regions) -> object | None:
    """Return the first region whose polygon holds the point, or None."""
    for region in regions:
        if region.polygon and point_in_polygon(lon, lat, region.polygon):
            return region
    return None


def polygon_problem(ring: list[list[float]]) -> str | None:
    """Return why a ring of [lon, lat] points cannot be a region's area, or None."""
    if len(ring) < 3:
        return "needs at least 3 points"
    for point in ring:
        if len(point) != 2 or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            return "each point is [lon, lat] within range"
    twice_area = sum(
        ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1]
        for i in range(len(ring))
    )
    return "the points enclose no area" if twice_area == 0 else None
