"""What to do with an SMS found in a given state: pure, so it is tested without a database."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from dispatch.notifications.models import SmsStatus


class Step(StrEnum):
    SEND = "send"  # no attempt is open: call the provider
    SKIP = "skip"  # done (sent), or settled as uncertain/failed: never call again
    WAIT = "wait"  # an attempt is in flight within its time: try again later
    CHECK = "check"  # an attempt was interrupted: ask the provider before anything else


def next_step(
    status: str, attempted_at: datetime | None, now: datetime, *, send_timeout: timedelta
) -> Step:
    """Decide the next step for an SMS; an open attempt older than twice the timeout is stale."""
    if status == SmsStatus.PENDING:
        return Step.SEND
    if status != SmsStatus.SENDING:
        return Step.SKIP
    if attempted_at is not None and now - attempted_at < 2 * send_timeout:
        return Step.WAIT
    return Step.CHECK
