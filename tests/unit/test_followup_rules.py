"""FUP-1: follow-up send time = completion + delay, moved into the contact window, ≤ 24 h."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dispatch.followups.rules import followup_times, into_contact_window

SH = ZoneInfo("Asia/Shanghai")
WINDOW = {"window_start": time(8, 30), "window_end": time(17, 30), "tz": "Asia/Shanghai"}


def times(completed_local: datetime, delay_h=2, deadline_h=24):
    return followup_times(
        completed_local.astimezone(UTC),
        delay=timedelta(hours=delay_h),
        deadline=timedelta(hours=deadline_h),
        **WINDOW,
    )


def test_fup_1_send_two_hours_after_completion_inside_window():
    send_at, deadline = times(datetime(2026, 12, 1, 10, 0, tzinfo=SH))
    assert send_at == datetime(2026, 12, 1, 12, 0, tzinfo=SH)
    assert deadline == datetime(2026, 12, 2, 10, 0, tzinfo=SH)


def test_fup_1_evening_completion_moves_to_next_morning():
    send_at, _ = times(datetime(2026, 12, 1, 16, 0, tzinfo=SH))
    assert send_at == datetime(2026, 12, 2, 8, 30, tzinfo=SH)


def test_fup_1_early_completion_waits_for_window_start():
    send_at, _ = times(datetime(2026, 12, 1, 5, 0, tzinfo=SH))
    assert send_at == datetime(2026, 12, 1, 8, 30, tzinfo=SH)


def test_fup_1_never_later_than_deadline_even_if_window_is_later():
    # A 1 h deadline after a 17:00 completion: next window opens at 08:30, too late.
    send_at, deadline = times(datetime(2026, 12, 1, 17, 0, tzinfo=SH), delay_h=2, deadline_h=1)
    assert send_at == deadline == datetime(2026, 12, 1, 18, 0, tzinfo=SH)


def test_window_end_itself_is_inside_window():
    moment = datetime(2026, 12, 1, 17, 30, tzinfo=SH)
    assert into_contact_window(moment, "Asia/Shanghai", time(8, 30), time(17, 30)) == moment


def test_follow_up_times_hold_for_every_minute_of_a_day():
    start = datetime(2026, 12, 1, 0, 0, tzinfo=SH)
    for minute in range(0, 24 * 60, 7):
        completed = start + timedelta(minutes=minute)
        send_at, deadline = times(completed)
        assert completed < send_at <= deadline == completed + timedelta(hours=24)
        local = send_at.astimezone(SH).time()
        assert time(8, 30) <= local <= time(17, 30)
