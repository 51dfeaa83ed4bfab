"""Backstop sweep: published entries past their valid-until date become expired (KB-11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import SYSTEM
from dispatch.knowledge.models import KbEntry
from dispatch.knowledge.rules import EntryStatus

BATCH = 200


def due_expiry(session: Session, *, config, now: datetime) -> list[int]:
    """Return ids of published entries whose validity has ended."""
    return session.scalars(
        select(KbEntry.id)
        .where(KbEntry.status == EntryStatus.PUBLISHED, KbEntry.valid_until <= now)
        .order_by(KbEntry.id)
        .limit(BATCH)
    ).all()


def expire(session: Session, *, config, item_id: int, now: datetime) -> None:
    """Mark one entry expired (idempotent: an entry no longer published is left alone)."""
    entry = session.get(KbEntry, item_id, with_for_update=True)
    if entry is None or entry.status != EntryStatus.PUBLISHED:
        return
    with audit.audited(session, SYSTEM, entry, "kb_entry.expired"):
        entry.expire()
