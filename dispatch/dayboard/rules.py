"""Pure rules of the day board: a technician's status, a visit at risk, the board's ETag."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

# What a technician is doing, from the most telling visit state of the day (DSP-12).
_STATUS_ORDER = (
    ("on_site", "on_site"),
    ("in_progress", "working"),
    ("paused", "paused"),
    ("en_route", "en_route"),
)
WAITING = "scheduled"
DONE_STATES = frozenset({"completed", "unable_to_finish"})


def technician_status(visit_states: list[str], absent: bool) -> str:
    """Return what a technician is doing now from their visits' states of the day."""
    states = set(visit_states)
    for state, shown in _STATUS_ORDER:
        if state in states:
            return shown
    if absent:
        return "absent"
    if WAITING in states:
        return "planned"
    if states and states <= DONE_STATES:
        return "done"
    return "free"


def eta(planned_start: datetime | None, status: str, now: datetime) -> datetime | None:
    """Return when the technician will arrive: the plan, or now when the plan is behind."""
    if planned_start is None or status not in (WAITING, "en_route"):
        return None
    return max(planned_start, now)


def at_risk(estimated: datetime | None, window_end: datetime) -> bool:
    """Tell whether the technician's arrival falls after the customer's window."""
    return estimated is not None and estimated > window_end


def etag_of(board: dict) -> str:
    """Return a strong ETag (unquoted) of the board's content, the time it was made left out."""
    content = {k: v for k, v in board.items() if k != "generated_at"}
    digest = hashlib.blake2b(
        json.dumps(content, sort_keys=True, default=str).encode(), digest_size=12
    ).hexdigest()
    return digest
