"""Append-only audit trail: who changed what, when (server and device time)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.db import Base


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    before: Mapped[dict | None]
    after: Mapped[dict | None]
    server_time: Mapped[datetime]
    device_time: Mapped[datetime | None]


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int,
    before: dict | None = None,
    after: dict | None = None,
    device_time: datetime | None = None,
) -> AuditEntry:
    """Write one audit row in the current transaction."""
    entry = AuditEntry(
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_role=actor.role,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        server_time=utcnow(),
        device_time=device_time,
    )
    session.add(entry)
    return entry


@contextmanager
def audited(
    session: Session,
    actor: Actor,
    obj,
    action: str,
    *,
    device_time: datetime | None = None,
    extra: dict | None = None,
) -> Iterator:
    """Audit the change made inside the block: before/after come from `obj.snapshot()`.

    `obj` names its audit entity (`audit_entity`); `extra` adds context to the after side.
    """
    before = obj.snapshot()
    yield obj
    session.flush()
    record(
        session,
        actor=actor,
        action=action,
        entity=obj.audit_entity,
        entity_id=obj.id,
        before=before,
        after=obj.snapshot() | (extra or {}),
        device_time=device_time,
    )


def history(session: Session, entity: str, entity_id: int) -> list[AuditEntry]:
    """Return the audit rows of one record, oldest first."""
    return list(
        session.query(AuditEntry)
        .filter_by(entity=entity, entity_id=entity_id)
        .order_by(AuditEntry.id)
    )


def add_created(session: Session, *, actor: Actor, obj, action: str, entity: str, after: dict):
    """Add a new record, give it its id, and audit its creation; return it."""
    session.add(obj)
    session.flush()
    record(session, actor=actor, action=action, entity=entity, entity_id=obj.id, after=after)
    return obj
