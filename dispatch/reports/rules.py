"""Pure SLA arithmetic: was a promise kept, and the breach rate of a set of promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


def breached(due: datetime, done: datetime | None, now: datetime) -> bool | None:
    """Return True if late, False if kept, None if still open and not yet due."""
    if done is not None:
        return done > due
    return True if now > due else None


@dataclass(frozen=True)
class SlaLine:
    """One promise kind over a period: how many were due, kept, broken, still open."""

    metric: str
    total: int
    breached: int
    open: int

    @property
    def rate(self) -> float:
        """Breach rate among the promises already decided, in percent."""
        decided = self.total - self.open
        return round(100 * self.breached / decided, 1) if decided else 0.0


def summarise(metric: str, outcomes: list[bool | None]) -> SlaLine:
    """Count kept, broken and open promises."""
    return SlaLine(
        metric, len(outcomes), sum(1 for o in outcomes if o), sum(1 for o in outcomes if o is None)
    )
