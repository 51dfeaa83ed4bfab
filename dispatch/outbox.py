"""Transactional outbox: side effects are rows written with the change that caused them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import String, or_, select
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
    enqueued_at: Mapped[datetime | None] = mapped_column(index=True)  # last hand-over to RQ
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    # The database, not Redis, decides when a message is driven again (issue 10 §3):
    job_id: Mapped[str | None] = mapped_column(String(64))  # RQ job of the last hand-over
    # When to hand over again if still not done; NULL once done or given up (keeps the index small)
    redrive_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    given_up_at: Mapped[datetime | None]


def add(
    session: Session,
    kind: str,
    *,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    **payload,
) -> OutboxMessage:
    """Queue a side effect; it leaves only if the surrounding transaction commits.

    The row goes in with the transaction's next flush (a booking's messages share one
    statement); `take_new_ids` flushes first if that has not happened yet.
    """
    message = OutboxMessage(kind=kind, payload=payload, run_at=run_at, dedupe_key=dedupe_key)
    session.add(message)
    session.info.setdefault(NEW_IDS_KEY, []).append(message)
    return message


def take_new_ids(session: Session) -> list[int]:
    """Return and forget the ids of messages added in this session's transaction (after a
    rollback: forget them, the ids returned then name no row)."""
    messages = session.info.pop(NEW_IDS_KEY, [])
    if any(m.id is None for m in messages) and session.in_transaction():
        session.flush()
    return [m.id for m in messages if m.id is not None]


def relay(session: Session, hand_over, *, ids: list[int] | None = None, limit: int = 200) -> int:
    """Hand over every message that is due and not done; commits. Returns how many went.

    Due means never handed over, or handed over and still not done when its lease ran out
    (a killed worker, a flushed or restarted Redis, a failed attempt whose wait is over).
    """
    now = utcnow()
    query = select(OutboxMessage).where(
        OutboxMessage.processed_at.is_(None),
        OutboxMessage.given_up_at.is_(None),
        or_(OutboxMessage.enqueued_at.is_(None), OutboxMessage.redrive_at <= now),
    )
    if ids is not None:
        if not ids:
            return 0
        query = query.where(OutboxMessage.id.in_(ids))
    query = query.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    messages = list(session.scalars(query))
    for message in messages:
        # Hand over first, then mark: a crash in between hands over again (at least once);
        # every handler is idempotent, so the effect still happens once.
        hand_over(message, now)
    session.commit()
    return len(messages)


def begin_attempt(session: Session, message_id: int, *, lease: timedelta) -> str | None:
    """Count an attempt and extend the lease before work starts; return why not, if not."""
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
    ).one_or_none()
    if message is None:
        return "missing"
    if message.processed_at is not None:
        return "already-processed"
    if message.given_up_at is not None:
        return "given-up"
    message.attempts += 1
    message.redrive_at = utcnow() + lease
    return None


def record_failure(
    session: Session, message_id: int, error: str, *, waits: tuple[float, ...]
) -> None:
    """Note a failed attempt: wait before the next one, or give up when the waits are used."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.processed_at is not None:
        return
    message.last_error = error[:500]
    wait = retry_wait(message.attempts, waits)
    if wait is None:
        message.given_up_at, message.redrive_at = utcnow(), None
        log.error("outbox message %s (%s) given up: %s", message.id, message.kind, error)
    else:
        message.redrive_at = utcnow() + timedelta(seconds=wait)


def retry_wait(attempts: int, waits: tuple[float, ...]) -> float | None:
    """Return the wait after the given number of failed attempts, or None to give up."""
    index = max(attempts, 1) - 1
    return waits[index] if index < len(waits) else None
