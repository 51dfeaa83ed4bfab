"""Every working-day SLA clock runs on the region's working calendar (DSP-1): public holidays
stop it, make-up working days (调休) run it."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from dispatch.booking.rules import contact_due
from dispatch.complaints import rules

SH = ZoneInfo("Asia/Shanghai")
HOURS = {"tz": "Asia/Shanghai", "day_start": time(8, 30), "day_end": time(17, 30)}


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def test_dsp_1_complaint_working_day_clock_skips_national_day():
    # CMP-11: a major case decision within 1 working day, started the day before the holiday
    assert rules.due_at(local(9, 30, 11), "1wd", **HOURS) == local(10, 8, 11)
    assert rules.due_at(local(9, 30, 11), "1wd", **HOURS, calendar="weekdays") == local(10, 1, 11)


def test_dsp_1_complaint_service_hour_clock_pauses_over_holidays():
    # a 1 h first response started 30 min before closing on 30 September resumes on 8 October
    assert rules.due_at(local(9, 30, 17), 60, **HOURS) == local(10, 8, 9)
    # the make-up Sunday 20 September is a working day: the clock runs on it
    assert rules.due_at(local(9, 19, 12), 15, **HOURS) == local(9, 20, 8, 45)


def test_dsp_1_same_day_clock_of_a_complaint_received_on_a_holiday_ends_on_the_next_working_day():
    assert rules.due_at(local(10, 3, 10), "sameday", **HOURS) == local(10, 8, 17, 30)


def test_dsp_1_booking_clock_is_one_working_day_in_the_region_calendar():
    assert contact_due(local(9, 24, 10), tz="Asia/Shanghai") == local(9, 28, 10)  # Mid-Autumn
    assert contact_due(local(10, 9, 10), tz="Asia/Shanghai") == local(10, 10, 10)  # make-up Sat
    assert contact_due(local(12, 4, 10), tz="Asia/Shanghai") == local(12, 7, 10)  # weekend
