"""Pure rules of the day board: a technician's status, a visit at risk, the board's ETag."""

from __future__ import annotations

import hashlib
from datetime import datetime

import numpy as np

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


def etag_of(body: bytes) -> str:
    """Return a strong ETag (unquoted) of the board's JSON body."""
    return hashlib.blake2b(body, digest_size=12).hexdigest()


EARTH_RADIUS_M = 6_371_008.8


def leg_seconds(legs: list[tuple[float, float, float, float]], speed_kmh: float, detour: float):
    """Return the estimated driving seconds of each (lat, lon, lat, lon) leg, in one pass.

    The board's estimate: great-circle distance times the detour factor at the average speed,
    the figures the planner's default (geodesic) matrix uses.
    """
    if not legs:
        return []
    lat1, lon1, lat2, lon2 = np.radians(np.asarray(legs, dtype=float)).T
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    metres = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0))) * detour
    return np.ceil(metres / (speed_kmh / 3.6)).astype(int).tolist()
