"""Pure booking rules: which windows to offer, and the contact deadline (APT-1)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.intake.rules import JobStatus

CONTACT_DEADLINE = timedelta(hours=24)  # H6: agree a date within 1 day of registration


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


def contact_due(registered_at: datetime) -> datetime:
    """Return when the customer must have been contacted to agree a date (APT-1)."""
    return registered_at + CONTACT_DEADLINE


APPOINTMENT_KINDS = ("assessment", "repair", "installation", "collection", "drop_off", "return")


def contact_overdue_why(request_status: str) -> str:
    """Why a request is on the APT-1 list: no visit yet, or its proposal is not agreed."""
    return "proposal_unconfirmed" if request_status == JobStatus.SCHEDULED else "no_visit"
