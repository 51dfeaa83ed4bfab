"""Pure rules for visits: windows and device clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_DEVICE_CLOCK_AHEAD = timedelta(minutes=5)


def windows_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Return whether two half-open windows [start, end) share any instant."""
    return a_start < b_end and b_start < a_end


def device_time_problem(device_time: datetime, server_now: datetime) -> str | None:
    """Return why a device timestamp cannot be accepted, or None."""
    if device_time - server_now > MAX_DEVICE_CLOCK_AHEAD:
        return "device time is in the future; check the phone's clock"
    return None


def format_window(start: datetime, end: datetime, tz) -> str:
    """Render a window as 'YYYY-MM-DD HH:MM–HH:MM' in local time."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M}"
