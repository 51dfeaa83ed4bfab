"""What changed on a technician's visits since the app last synced (it works offline between)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import AuditEntry
from dispatch.clock import utcnow
from dispatch.errors import PermissionDenied
from dispatch.visits.models import Visit

CREATIONS = ("visit.booked", "visit.follow_up_created")


def changes_since(*, session: Session, actor: Actor, since: datetime) -> dict:
    """Return my visits created or updated since `since`, and the ids that left my list."""
    if actor.technician_id is None:
        raise PermissionDenied("No technician profile for this login")
    server_time = utcnow()  # read first: the next sync starts here and misses nothing
    changed = list(
        session.scalars(
            select(Visit)
            .where(Visit.technician_id == actor.technician_id, Visit.changed_at > since)
            .order_by(Visit.id)
        )
    )
    live = [v for v in changed if v.status != "cancelled"]
    created = set(
        session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "visit",
                AuditEntry.action.in_(CREATIONS),
                AuditEntry.server_time > since,
                AuditEntry.entity_id.in_([v.id for v in live]),
            )
        )
    )
    gone = {v.id for v in changed if v.status == "cancelled"} | _reassigned_away(
        session, actor.technician_id, since
    )
    return {
        "server_time": server_time,
        "created": sorted(created),
        "updated": sorted(v.id for v in live if v.id not in created),
        "deleted": sorted(gone),
        "visits": live,
    }


def _reassigned_away(session: Session, technician_id: int, since: datetime) -> set[int]:
    """Return visits that were mine and now belong to someone else (or nobody)."""
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "visit", AuditEntry.server_time > since)
    )
    were_mine = {
        e.entity_id for e in entries if (e.before or {}).get("technician_id") == technician_id
    }
    if not were_mine:
        return set()
    still_mine = session.scalars(
        select(Visit.id).where(Visit.id.in_(were_mine), Visit.technician_id == technician_id)
    )
    return were_mine - set(still_mine)
