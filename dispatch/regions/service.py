"""Use cases of regions."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.regions.calendar import is_working_day
from dispatch.regions.models import Region


def create_region(*, session: Session, actor: Actor, **data) -> Region:
    """Create a service region with its area, zone and neighbours."""
    if session.scalars(select(Region).where(Region.code == data["code"])).first():
        raise Conflict(f"Region {data['code']!r} exists", error_code="region_exists")
    neighbours = set(data["neighbour_ids"])
    known = set(session.scalars(select(Region.id).where(Region.id.in_(neighbours))))
    if known != neighbours:
        raise RuleViolation(
            "Unknown neighbour region", details={"neighbour_ids": sorted(neighbours - known)}
        )
    return audit.add_created(
        session,
        actor=actor,
        obj=Region(**data),
        action="region.created",
        entity="region",
        after={"code": data["code"]},
    )


def list_regions(session: Session) -> list[Region]:
    """Return every region."""
    return list(session.scalars(select(Region).order_by(Region.id)))


def set_emergency_sla(
    *, session: Session, actor: Actor, region_id: int, enabled: bool, minutes: int
) -> Region:
    """Switch a region's emergency arrival SLA (dispatch → check-in) on or off (DSP-11)."""
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound(f"Region {region_id} not found")
    before = {"emergency_arrival_minutes": region.emergency_arrival_minutes}
    region.set_emergency_sla(minutes if enabled else None)
    audit.record(
        session,
        actor=actor,
        action="region.emergency_sla",
        entity="region",
        entity_id=region.id,
        before=before,
        after={"emergency_arrival_minutes": region.emergency_arrival_minutes},
    )
    return region


def set_contact_window(
    *, session: Session, actor: Actor, region_id: int, start: time | None, end: time | None
) -> Region:
    """Set when non-urgent SMS may reach the region's customers (APT-13); None: the config's."""
    access.ensure_region(actor, region_id, what=f"Region {region_id}")
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound(f"Region {region_id} not found")
    before = _window(region)
    region.set_contact_window(start, end)
    audit.record(
        session,
        actor=actor,
        action="region.contact_window",
        entity="region",
        entity_id=region.id,
        before=before,
        after=_window(region),
    )
    return region


def _window(region: Region) -> dict:
    times = (region.contact_window_start, region.contact_window_end)
    return {"contact_window": [t.isoformat() if t else None for t in times]}


def calendar_days(*, session: Session, region_id: int, start: date, days: int) -> list[dict]:
    """Return each day from `start` with whether it is a working day in the region (DSP-1)."""
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound(f"Region {region_id} not found")
    return [
        {"day": day, "working": is_working_day(day, region.calendar)}
        for day in (start + timedelta(days=n) for n in range(days))
    ]
