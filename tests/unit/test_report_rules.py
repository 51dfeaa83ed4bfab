"""SLA arithmetic: kept, broken, still open; rates over decided promises only."""

from datetime import UTC, datetime, timedelta

from dispatch.reports.rules import breached, summarise

DUE = datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_done_in_time_is_kept_and_late_is_broken():
    assert breached(DUE, DUE - timedelta(minutes=1), now=DUE) is False
    assert breached(DUE, DUE, now=DUE) is False
    assert breached(DUE, DUE + timedelta(seconds=1), now=DUE) is True


def test_not_done_is_open_until_due_then_broken():
    assert breached(DUE, None, now=DUE - timedelta(minutes=1)) is None
    assert breached(DUE, None, now=DUE + timedelta(minutes=1)) is True


def test_rate_counts_only_decided_promises():
    line = summarise("x", [True, False, None, None])
    assert (line.total, line.breached, line.open, line.rate) == (4, 1, 2, 50.0)
    assert summarise("x", [None]).rate == 0.0
