"""Request statistics and demand by area (RPT-5), requests that never became jobs included."""

from __future__ import annotations

from sqlalchemy import Integer, cast, func, literal, select
from sqlalchemy.orm import Session

from dispatch.customers.models import Site
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.reports.query import Scope, count_if, local_bucket
from dispatch.reports.rules import percent
from dispatch.visits.models import Visit

BREAKDOWNS = ("total", "type", "channel", "category", "region", "day", "week", "month")
COLUMNS = ("key", "requests", "became_jobs", "never_jobs", "job_rate")
AREA_COLUMNS = ("lat", "lon", "requests", "never_jobs")
GRID_DEGREES = 0.05  # about 5 km: the demand map's cell


def _key(by: str, tz: str):
    if by == "total":
        return literal("all")
    if by == "region":
        return func.coalesce(Region.code, "none")
    if by in ("day", "week", "month"):
        return local_bucket(ServiceRequest.registered_at, by, tz)
    return getattr(ServiceRequest, "request_type" if by == "type" else by)


def _became_job():
    return select(Visit.id).where(Visit.request_id == ServiceRequest.id).exists()


def report(session: Session, scope: Scope, *, by: str = "total", tz: str) -> list[dict]:
    """Return per value of `by`: requests registered, how many became jobs, how many never did."""
    key = _key(by, tz).label("key")
    job = _became_job()
    statement = (
        select(key, func.count(ServiceRequest.id), count_if(job))
        .select_from(ServiceRequest)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .outerjoin(Region, Region.id == Site.region_id)
        .where(scope.during(ServiceRequest.registered_at), scope.regions(Site.region_id))
        .group_by(key)
        .order_by(key)
    )
    return [
        {
            "key": str(k),
            "requests": n,
            "became_jobs": jobs,
            "never_jobs": n - jobs,
            "job_rate": percent(jobs, n),
        }
        for k, n, jobs in session.execute(statement)
    ]


def demand(session: Session, scope: Scope) -> list[dict]:
    """Return requests per map cell (GRID_DEGREES square) of the sites they came from."""
    lat = cast(func.floor(Site.lat / GRID_DEGREES), Integer).label("lat_cell")
    lon = cast(func.floor(Site.lon / GRID_DEGREES), Integer).label("lon_cell")
    statement = (
        select(lat, lon, func.count(ServiceRequest.id), count_if(~_became_job()))
        .join(Site, Site.id == ServiceRequest.site_id)
        .where(scope.during(ServiceRequest.registered_at), scope.regions(Site.region_id))
        .where(Site.lat.is_not(None), Site.lon.is_not(None))
        .group_by(lat, lon)
        .order_by(lat, lon)
    )
    return [
        {
            "lat": round((y + 0.5) * GRID_DEGREES, 3),
            "lon": round((x + 0.5) * GRID_DEGREES, 3),
            "requests": n,
            "never_jobs": never,
        }
        for y, x, n, never in session.execute(statement)
    ]


def areas(session: Session, scope: Scope) -> list[list[list[float]]]:
    """Return the drawn outlines of the regions in scope (for the demand map)."""
    statement = select(Region.polygon).where(Region.polygon.is_not(None), scope.regions(Region.id))
    return [ring for ring in session.scalars(statement) if ring]
