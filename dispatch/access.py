"""The one permission layer: which regions and records an actor may see.

Every service loader and list query takes the actor and asks this module (DESIGN §7,
"Permissions live in loaders"); views never decide who may see what. The signatures here are
the contract other modules build on; the rules behind them are refined in one place.
"""

from __future__ import annotations

from sqlalchemy import false, true
from sqlalchemy.sql import ColumnElement

from dispatch.actors import Actor
from dispatch.errors import NotFound

# Roles whose work spans every region (head office); everyone else sees the regions they serve.
ALL_REGION_ROLES = frozenset({"admin", "general_manager", "vp_in_charge", "quality"})


def visible_region_ids(actor: Actor) -> tuple[int, ...] | None:
    """Return the regions `actor` may see, or None for every region."""
    if actor.kind == "system" or actor.role in ALL_REGION_ROLES:
        return None
    return tuple(actor.region_ids)


def region_clause(actor: Actor, column) -> ColumnElement[bool]:
    """A SQL condition limiting `column` (a region id column) to the actor's regions."""
    regions = visible_region_ids(actor)
    if regions is None:
        return true()
    if not regions:
        return false()
    return column.in_(regions)


def may_see_region(actor: Actor, region_id: int | None) -> bool:
    regions = visible_region_ids(actor)
    return regions is None or (region_id is not None and region_id in regions)


def ensure_region(actor: Actor, region_id: int | None, *, what: str = "Record") -> None:
    """Raise NotFound (never revealing existence) unless the actor may see `region_id`."""
    if not may_see_region(actor, region_id):
        raise NotFound(f"{what} not found")
