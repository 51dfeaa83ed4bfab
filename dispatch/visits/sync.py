"""What changed on a technician's visits since the app last synced (it works offline between).

Everything is read from real columns: a visit's own times and the reassignment rows its
`hold` writes; the audit trail is never read back as data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import PermissionDenied
from dispatch.visits.models import Visit, VisitReassignment


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
    live = [v for v in changed if v.live]
    created = {v.id for v in live if v.created_at > since}
    gone = {v.id for v in changed if not v.live} | _reassigned_away(
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
    """Return visits taken from me since `since` that are not mine again now."""
    return set(
        session.scalars(
            select(VisitReassignment.visit_id)
            .join(Visit, Visit.id == VisitReassignment.visit_id)
            .where(
                VisitReassignment.technician_id == technician_id,
                VisitReassignment.at > since,
                Visit.technician_id.is_distinct_from(technician_id),
            )
        )
    )
