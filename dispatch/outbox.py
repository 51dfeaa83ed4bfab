"""Transactional outbox: side effects are rows written with the change that caused them."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base

log = logging.getLogger(__name__)

NEW_IDS_KEY = "outbox_new_ids"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict]
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    run_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None] = mapped_column(index=True)
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


def add(
    session: Session,
    kind: str,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    **payload,
) -> OutboxMessage:
    """Queue a side effect; it leaves only if the surrounding transaction commits."""
    message = OutboxMessage(kind=kind, payload=payload, run_at=run_at, dedupe_key=dedupe_key)
    session.add(message)
    session.flush()
    session.info.setdefault(NEW_IDS_KEY, []).append(message.id)
    return message


def take_new_ids(session: Session) -> list[int]:
    """Return and forget the ids of messages added in this session's transaction."""
    return session.info.pop(NEW_IDS_KEY, [])


def relay(session: Session, enqueue, *, ids: list[int] | None = None, limit: int = 200) -> int:
    """Hand pending messages to the queue and mark them; commits. Returns how many went."""
    query = select(OutboxMessage).where(OutboxMessage.enqueued_at.is_(None))
    if ids is not None:
        if not ids:
            return 0
        query = query.where(OutboxMessage.id.in_(ids))
    query = query.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    messages = list(session.scalars(query))
    for message in messages:
        # Enqueue first, then mark: a crash in between re-enqueues (at least once);
        # every handler is idempotent, so the effect still happens once.
        enqueue(message)
        message.enqueued_at = utcnow()
    session.commit()
    return len(messages)
