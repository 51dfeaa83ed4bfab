"""Transactional outbox: side effects are rows written with the change that caused them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, or_, select, update
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


def relay(session: Session, hand_over, handed, *, limit: int = 200) -> int:
    """Hand over every message that is due and not done; commits. Returns how many went.

    Due means never handed over, or handed over and still not done when its lease ran out
    (a killed worker, a flushed or restarted Redis, a failed attempt whose wait is over).
    `hand_over` collects each message's job; `handed()` sends them, before the commit.
    """
    now = utcnow()
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.processed_at.is_(None),
            OutboxMessage.given_up_at.is_(None),
            or_(OutboxMessage.enqueued_at.is_(None), OutboxMessage.redrive_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return _handed_over(session, list(session.scalars(query)), hand_over, handed, now)


@dataclass
class NewMessage:
    """What handing over a message never handed over needs of its row (no ORM object)."""

    id: int
    run_at: datetime | None
    job_id: str | None = None
    enqueued_at: datetime | None = None
    redrive_at: datetime | None = None


def relay_new(session: Session, ids: list[int], hand_over, handed) -> int:
    """Hand over the given messages that were never handed over: the fast path right after
    the transaction that added them commits. One read of two columns, one UPDATE by id; a
    message the relay loop holds or has handed over is left to it. Commits; returns how many.
    """
    now = utcnow()
    query = (
        select(OutboxMessage.id, OutboxMessage.run_at)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.enqueued_at.is_(None),
            OutboxMessage.processed_at.is_(None),
            OutboxMessage.given_up_at.is_(None),
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    )
    messages = [NewMessage(row.id, row.run_at) for row in session.execute(query)]
    return _handed_over(session, messages, hand_over, handed, now, write=_write_handed_over)


def _write_handed_over(session: Session, messages: list[NewMessage]) -> None:
    session.execute(
        update(OutboxMessage),
        [
            {
                "id": m.id,
                "job_id": m.job_id,
                "enqueued_at": m.enqueued_at,
                "redrive_at": m.redrive_at,
            }
            for m in messages
        ],
    )


def _handed_over(session: Session, messages: list, hand_over, handed, now, write=None) -> int:
    for message in messages:
        # Hand over first, then mark: a crash in between hands over again (at least once);
        # every handler is idempotent, so the effect still happens once.
        hand_over(message, now)
    if messages:
        handed()
        if write is not None:
            write(session, messages)
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
