"""Pure report rules: SLA arithmetic, KPI formulas, periods and the scheduled-run calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from dispatch.lifecycle import Lifecycle


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


# --- KPI arithmetic shared by the reports (RPT-2..RPT-9); formulas in docs/kpis.md ---

FIRST_TIME_FIX_DAYS = 30  # RPT-6: a repeat repair of the same unit within this many days
SATISFIED_RATING_MIN = 4  # a follow-up rating at or above counts as satisfied
WEEKLY_RUN_AT = time(6, 0)  # RPT-3/RPT-4: when the scheduled reports run, region time


def percent(part: int | None, whole: int | None) -> float | None:
    """Return part/whole in percent to one decimal, None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


def hours(seconds: float | None) -> float | None:
    """Return seconds as hours to two decimals (None stays None)."""
    return None if seconds is None else round(float(seconds) / 3600, 2)


@dataclass(frozen=True)
class ChurnRule:
    """RPT-7: a customer served in the look-back window churned if not served again since.

    `lookback_days` before the period start is the base; a base customer with no job in the
    period (nor `grace_days` after its end, if already past) churned.
    """

    lookback_days: int = 365
    grace_days: int = 0


class RunStatus(StrEnum):
    DUE = "due"
    DONE = "done"


RUN_LIFECYCLE = Lifecycle("report run", {RunStatus.DUE: {RunStatus.DONE}, RunStatus.DONE: set()})


class RunKind(StrEnum):
    WEEKLY_SATISFACTION = "weekly_satisfaction"  # RPT-3
    MONTHLY_FOLLOWUP = "monthly_followup"  # RPT-4


def local_week(moment: datetime, tz: str) -> tuple[datetime, datetime]:
    """Return the Monday-to-Monday week (region time) before the one `moment` falls in, in UTC."""
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    this_monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time(), zone)
    last_monday = datetime.combine(this_monday.date() - timedelta(days=7), time(), zone)
    return last_monday.astimezone(UTC), this_monday.astimezone(UTC)


def local_month(moment: datetime, tz: str) -> tuple[datetime, datetime]:
    """Return the calendar month (region time) before the one `moment` falls in, in UTC."""
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone).date()
    first = date(local.year, local.month, 1)
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return (
        datetime.combine(previous, time(), zone).astimezone(UTC),
        datetime.combine(first, time(), zone).astimezone(UTC),
    )


def next_run(kind: RunKind, after: datetime, tz: str) -> datetime:
    """Return the next run time after `after`: Monday / the 1st at WEEKLY_RUN_AT, region time."""
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date()
    while True:
        candidate = datetime.combine(day, WEEKLY_RUN_AT, zone)
        starts = day.weekday() == 0 if kind == RunKind.WEEKLY_SATISFACTION else day.day == 1
        if starts and candidate > after:
            return candidate.astimezone(UTC)
        day += timedelta(days=1)


def run_period(kind: RunKind, run_at: datetime, tz: str) -> tuple[datetime, datetime]:
    """Return the period a run at `run_at` covers: the past week or the past month."""
    if kind == RunKind.WEEKLY_SATISFACTION:
        return local_week(run_at, tz)
    return local_month(run_at, tz)
