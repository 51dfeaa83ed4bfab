"""Pure rules of the dispatch backlog: day-end carry-over (DSP-8) and queue order (DSP-6)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}


def last_day_end(now: datetime, tz: str, day_end: time) -> datetime:
    """Return the latest local end of a working day at or before `now`."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    end = datetime.combine(local.date(), day_end, zone)
    if end > local:
        end = datetime.combine(local.date() - timedelta(days=1), day_end, zone)
    return end.astimezone(now.tzinfo)


def queue_key(carried_over_at: datetime | None, priority: str, vip: bool, registered_at):
    """Sort key of the dispatch queue: carried over first, then priority, VIP, age (DSP-6)."""
    return (carried_over_at is None, PRIORITY_RANK.get(priority, 1), not vip, registered_at)
