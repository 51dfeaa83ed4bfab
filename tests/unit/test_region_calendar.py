"""DSP-1: a region's working calendar knows weekends, Chinese public holidays and make-up days."""

from __future__ import annotations

from datetime import date

from dispatch.regions.calendar import add_working_days, is_working_day, next_working_day


def test_dsp_1_national_day_is_off_and_its_saturday_make_up_day_is_worked():
    assert is_working_day(date(2026, 10, 1)) is False  # 国庆节
    assert is_working_day(date(2026, 10, 10)) is True  # a Saturday worked in exchange (调休)
    assert is_working_day(date(2026, 10, 10), "weekdays") is False
    assert is_working_day(date(2026, 12, 4)) is True  # an ordinary Friday
    assert is_working_day(date(2026, 12, 5)) is False  # an ordinary Saturday


def test_dsp_1_next_working_day_skips_the_holiday_week():
    assert next_working_day(date(2026, 9, 30)) > date(2026, 10, 7)
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday


def test_dsp_1_a_year_without_holiday_data_falls_back_to_weekdays():
    assert is_working_day(date(2031, 3, 3)) is True  # a Monday
    assert is_working_day(date(2031, 3, 2)) is False  # a Sunday
