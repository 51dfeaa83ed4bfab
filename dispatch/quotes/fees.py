"""The configured fee table: versioned prices per region or global (VCH-3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import add_created
from dispatch.clock import utcnow
from dispatch.errors import Conflict, RuleViolation
from dispatch.quotes import rules
from dispatch.quotes.models import FeeItem
from dispatch.regions.models import Region

F = FeeItem
FEE_SORTS = {
    "code": order((F.code, False), (F.valid_from, True), (F.id, False)),
    "-valid_from": order((F.valid_from, True), (F.id, True)),
}


def add_item(
    *,
    session: Session,
    actor: Actor,
    code: str,
    name_zh: str,
    name_en: str,
    price_cents: int,
    unit: str,
    valid_from: datetime | None = None,
    region_id: int | None = None,
) -> FeeItem:
    """Add a price to the fee table; a later valid_from of the same code is its next version."""
    if region_id is not None and session.get(Region, region_id) is None:
        raise RuleViolation(
            "Unknown region", error_code="unknown_region", details={"region_id": [region_id]}
        )
    valid_from = valid_from or utcnow()
    clash = session.scalars(
        select(F.id).where(
            F.code == code,
            F.valid_from == valid_from,
            F.region_id.is_(None) if region_id is None else F.region_id == region_id,
        )
    ).first()
    if clash is not None:
        raise Conflict("This code already has a price from that time", error_code="fee_exists")
    item = FeeItem(
        region_id=region_id,
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        price_cents=price_cents,
        unit=unit,
        valid_from=valid_from,
        created_by_id=actor.id,
    )
    return add_created(
        session,
        actor=actor,
        obj=item,
        action="fee_item.added",
        entity="fee_item",
        after=item.snapshot(),
    )


def list_items(
    *,
    session: Session,
    sort: str = "code",
    limit: int = 50,
    after: str | None = None,
    region_id: int | None = None,
    code: str | None = None,
) -> Page:
    """List the fee table's prices, every version (the table is a catalogue: no region rule)."""
    query = select(FeeItem)
    if region_id is not None:
        query = query.where(or_(F.region_id == region_id, F.region_id.is_(None)))
    if code is not None:
        query = query.where(F.code == code)
    return paginate(session, query, sorts=FEE_SORTS, sort=sort, limit=limit, after=after)


def items_in_force(
    session: Session, region_id: int | None, at: datetime, codes: list[str] | None = None
) -> dict[str, FeeItem]:
    """Return the price in force per code for a region at `at` (region's own before global)."""
    query = select(FeeItem).where(
        or_(F.region_id == region_id, F.region_id.is_(None)), F.valid_from <= at
    )
    if codes is not None:
        query = query.where(F.code.in_(codes))
    return rules.effective_items(session.scalars(query), region_id, at)


def table_for(*, session: Session, actor: Actor) -> list[FeeItem]:
    """Return the fee table in force now in the actor's (first) region, by code."""
    region_id = actor.region_ids[0] if actor.region_ids else None
    table = items_in_force(session, region_id, utcnow())
    return [table[code] for code in sorted(table)]
