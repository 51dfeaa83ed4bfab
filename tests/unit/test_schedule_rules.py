"""Pure rules of a technician's time (issue 10 §1): what a finished visit keeps, clashes."""

from datetime import UTC, datetime, timedelta

from dispatch.schedule.rules import Held, clashes, other_windows, reserved_span, used_span

NOON = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 12:30 in Shanghai
RESERVED = reserved_span(NOON, 120)


def test_apt_finished_visit_keeps_only_the_reserved_time_it_used():
    assert used_span(RESERVED, NOON + timedelta(minutes=40)) == (NOON, NOON + timedelta(minutes=40))


def test_apt_visit_finished_before_its_start_holds_nothing():
    assert used_span(RESERVED, NOON - timedelta(hours=3)) is None
    assert used_span(None, NOON) is None


def test_apt_overrun_never_holds_more_than_was_reserved():
    assert used_span(RESERVED, NOON + timedelta(hours=5)) == RESERVED


def test_apt_clash_ignores_the_moving_visit_and_touching_spans():
    held = [Held(7, *RESERVED)]
    assert clashes((NOON + timedelta(minutes=60), NOON + timedelta(minutes=180)), held)
    assert not clashes((NOON + timedelta(minutes=60), NOON + timedelta(minutes=180)), held, 7)
    assert not clashes((RESERVED[1], RESERVED[1] + timedelta(hours=1)), held)


def test_apt_alternatives_drop_the_refused_window():
    windows = [
        {"window_start": RESERVED[0].isoformat(), "window_end": RESERVED[1].isoformat()},
        {"window_start": RESERVED[1].isoformat(), "window_end": "2026-12-01T08:30:00+00:00"},
    ]
    assert other_windows(windows, RESERVED) == windows[1:]
