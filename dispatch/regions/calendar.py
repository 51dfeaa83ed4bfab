"""Working calendars of regions (DSP-1): weekends, Chinese public holidays and the make-up
working days (调休), from the maintained `chinese-calendar` package.

Years the package does not cover yet fall back to Monday–Friday, so a clock never stops.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from dispatch.regions.models import Region

CALENDARS = ("cn", "weekdays")  # the statutory Chinese calendar, or plain Monday–Friday
DEFAULT_CALENDAR = "cn"  # a request or complaint without a region


def is_working_day(day: date, calendar: str = "cn") -> bool:
    """Return whether `day` is a working day in the calendar."""
    if calendar == "cn":
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package has no data for yet
            pass
    return day.weekday() < 5


def next_working_day(day: date, calendar: str = "cn") -> date:
    """Return the first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day, calendar):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int, calendar: str = "cn") -> date:
    """Return the day `count` working days after `day` (an SLA of N working days)."""
    for _ in range(count):
        day = next_working_day(day, calendar)
    return day


def calendar_of(session, region_id: int | None) -> str:
    """Return the working calendar of a region (the default one without a region)."""
    region = session.get(Region, region_id) if region_id is not None else None
    return region.calendar if region is not None else DEFAULT_CALENDAR
