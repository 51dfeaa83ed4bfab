"""Pure rules of a technician's time: what a visit holds, and when two holds clash.

What a visit holds (one definition for slot search, booking and the database constraint):
- a visit not yet finished (scheduled, en route, on site, working, paused) holds its reserved
  span: planned start plus duration;
- a finished visit (completed, unable to finish) keeps only the part of its reserved span it
  actually used, i.e. up to the moment it finished; finished before its reserved start, it holds
  nothing. It never holds more than it reserved, so finishing late cannot clash with the next
  visit's reservation (the time was overrun, not taken from anybody's booking);
- a cancelled or missed visit holds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Held:
    """A span of a technician's time that one visit holds."""

    visit_id: int
    start: datetime
    end: datetime


def reserved_span(start: datetime, minutes: int) -> tuple[datetime, datetime]:
    """Return the technician time a visit holds: its planned start plus its duration."""
    return start, start + timedelta(minutes=minutes)


def used_span(
    reserved: tuple[datetime, datetime] | None, finished_at: datetime
) -> tuple[datetime, datetime] | None:
    """Return what a finished visit keeps of its reserved span: the part before it finished."""
    if reserved is None or finished_at <= reserved[0]:
        return None
    return reserved[0], min(reserved[1], finished_at)


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Tell whether two half-open spans share any instant."""
    return a[0] < b[1] and b[0] < a[1]


def clashes(span: tuple[datetime, datetime], held: Iterable[Held], leave_out=None) -> bool:
    """Tell whether a span overlaps time already held (except by the visit `leave_out`)."""
    return any(h.visit_id != leave_out and overlaps(span, (h.start, h.end)) for h in held)


def other_windows(windows: list[dict], refused: tuple[datetime, datetime]) -> list[dict]:
    """Drop the refused window from a list of alternatives (they never offer it back)."""
    return [
        w
        for w in windows
        if (datetime.fromisoformat(w["window_start"]), datetime.fromisoformat(w["window_end"]))
        != refused
    ]
