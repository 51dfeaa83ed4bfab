"""Pure booking rules: which windows to offer, and the contact deadline (APT-1)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.intake.rules import JobStatus
from dispatch.regions.calendar import next_working_day
from dispatch.visits.rules import VisitStatus


def candidate_windows(
    day: date, tz: str, opens: time, closes: time, minutes: int
) -> list[tuple[datetime, datetime]]:
    """Return back-to-back arrival windows of `minutes` between opening and closing time."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, opens, zone)
    last = datetime.combine(day, closes, zone)
    windows = []
    while start + timedelta(minutes=minutes) <= last:
        windows.append((start, start + timedelta(minutes=minutes)))
        start += timedelta(minutes=minutes)
    return windows


def contact_due(registered_at: datetime, *, tz: str, calendar: str = "cn") -> datetime:
    """Return when a date must be agreed (APT-1, H6: within 1 day): the same local time on the
    first working day after the day of registration, in the region's calendar (DSP-1)."""
    local = registered_at.astimezone(ZoneInfo(tz))
    day = next_working_day(local.date(), calendar)
    due = datetime.combine(day, local.time().replace(tzinfo=None), local.tzinfo)
    return due.astimezone(registered_at.tzinfo)


APPOINTMENT_KINDS = ("assessment", "repair", "installation", "collection", "drop_off", "return")


def contact_overdue_why(request_status: str) -> str:
    """Why a request is on the APT-1 list: no visit yet, or its proposal is not agreed."""
    return "proposal_unconfirmed" if request_status == JobStatus.SCHEDULED else "no_visit"


# APT-4: a technician proposes a follow-on appointment from the site; the customer (by link) or
# an agent for them confirms it. Before the visit reached the site there is nothing to follow.
FOLLOW_ON_FROM = frozenset({VisitStatus.ON_SITE, VisitStatus.IN_PROGRESS, VisitStatus.PAUSED})


def follow_on_problem(visit_status: str, pending_follow_on: bool) -> tuple[str, str] | None:
    """Return (error_code, why) a technician may not propose a follow-on now, or None (APT-4)."""
    if visit_status not in FOLLOW_ON_FROM:
        return "visit_not_on_site", f"the visit is {visit_status}; propose it from the site"
    if pending_follow_on:
        return "follow_on_pending", "a follow-on appointment already waits for the customer"
    return None
