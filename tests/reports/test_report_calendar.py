"""Pure report rules: rates, hours, and the region-local calendar of the scheduled reports
(RPT-3 every Monday, RPT-4 every month)."""

from datetime import UTC, datetime

from dispatch.reports.rules import RunKind, hours, local_month, local_week, next_run, percent

SHANGHAI = "Asia/Shanghai"


def test_rates_have_one_decimal_and_none_without_a_whole_RPT_2():
    assert percent(2, 3) == 66.7
    assert percent(0, 4) == 0.0
    assert percent(3, 0) is None
    assert hours(5400) == 1.5 and hours(None) is None


def test_weekly_run_is_monday_06_00_region_time_and_covers_the_week_before_RPT_3():
    thursday = datetime(2026, 3, 5, 4, tzinfo=UTC)
    run = next_run(RunKind.WEEKLY_SATISFACTION, thursday, SHANGHAI)
    assert run == datetime(2026, 3, 8, 22, tzinfo=UTC)  # Monday 9 March 06:00 in Shanghai
    assert local_week(run, SHANGHAI) == (
        datetime(2026, 3, 1, 16, tzinfo=UTC),
        datetime(2026, 3, 8, 16, tzinfo=UTC),
    )
    assert next_run(RunKind.WEEKLY_SATISFACTION, run, SHANGHAI) == datetime(
        2026, 3, 15, 22, tzinfo=UTC
    )
    assert next_run(RunKind.WEEKLY_SATISFACTION, thursday, "Europe/Berlin") == datetime(
        2026, 3, 9, 5, tzinfo=UTC
    )


def test_monthly_run_is_the_first_at_06_00_and_covers_the_month_before_RPT_4():
    run = next_run(RunKind.MONTHLY_FOLLOWUP, datetime(2026, 12, 20, tzinfo=UTC), SHANGHAI)
    assert run == datetime(2026, 12, 31, 22, tzinfo=UTC)  # 1 January 06:00 in Shanghai
    assert local_month(run, SHANGHAI) == (
        datetime(2026, 11, 30, 16, tzinfo=UTC),
        datetime(2026, 12, 31, 16, tzinfo=UTC),
    )
