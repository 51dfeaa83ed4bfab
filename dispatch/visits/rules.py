"""Pure rules for visits: lifecycles, windows, device clocks and the order of steps."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from dispatch.lifecycle import Lifecycle

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


class VisitStatus(StrEnum):
    """States of one trip of a technician to a site."""

    SCHEDULED = "scheduled"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    COMPLETED = "completed"
    UNABLE_TO_FINISH = "unable_to_finish"
    CANCELLED = "cancelled"


class AppointmentStatus(StrEnum):
    """States of the appointment (the window agreed with the customer) of a visit."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    RESCHEDULE_REQUESTED = "reschedule_requested"
    CANCELLED = "cancelled"
    MISSED = "missed"


V = VisitStatus
VISIT_LIFECYCLE = Lifecycle(
    "visit",
    {
        V.SCHEDULED: {V.EN_ROUTE, V.CANCELLED},
        V.EN_ROUTE: {V.ON_SITE, V.CANCELLED},
        # Completing straight from on_site keeps short jobs to three taps (work started implicitly).
        V.ON_SITE: {V.IN_PROGRESS, V.COMPLETED, V.UNABLE_TO_FINISH},
        V.IN_PROGRESS: {V.PAUSED, V.COMPLETED, V.UNABLE_TO_FINISH},
        V.PAUSED: {V.IN_PROGRESS, V.UNABLE_TO_FINISH},
        V.COMPLETED: set(),
        V.UNABLE_TO_FINISH: set(),
        V.CANCELLED: set(),
    },
)
A = AppointmentStatus
# A booked appointment, proposed or confirmed, may move the same ways.
_FROM_BOOKED = frozenset(
    {A.PROPOSED, A.CONFIRMED, A.COMPLETED, A.RESCHEDULE_REQUESTED, A.CANCELLED, A.MISSED}
)
APPOINTMENT_LIFECYCLE = Lifecycle(
    "appointment",
    {
        # A reschedule proposes the new window again (by staff) or confirms it (by the customer).
        # Completed unconfirmed only when a dispatcher released the visit.
        A.PROPOSED: _FROM_BOOKED,
        A.CONFIRMED: _FROM_BOOKED,
        A.RESCHEDULE_REQUESTED: {A.PROPOSED, A.CONFIRMED, A.CANCELLED},
        A.COMPLETED: set(),
        A.CANCELLED: set(),
        A.MISSED: set(),
    },
)
# The visit's work record is closed in these states.
FINISHED = frozenset({V.COMPLETED, V.UNABLE_TO_FINISH, V.CANCELLED})
# The device-time fields of a visit in the order the steps must happen (VCH-2).
STEP_ORDER = ("en_route_at", "arrived_at", "work_started_at", "completed_at")


def time_order_problem(at: datetime, earlier: dict[str, datetime | None]) -> str | None:
    """Return which earlier step `at` precedes (depart ≤ arrive ≤ start ≤ complete), or None."""
    for name, moment in earlier.items():
        if moment is not None and at < moment:
            return name
    return None


def departure_problem(
    *, confirmed: bool, window_day: date, today: date, released: bool
) -> tuple[str, str] | None:
    """Return (error_code, why) a visit may not set off or start yet, or None.

    The appointment must be confirmed and its window on today's local date, unless a
    dispatcher released the visit.
    """
    if released:
        return None
    if not confirmed:
        return "appointment_not_confirmed", "the customer has not confirmed the appointment"
    if window_day != today:
        return "visit_not_today", f"the visit is due on {window_day.isoformat()}, not today"
    return None


def live_status(visit_status: str, assigned: bool) -> str:
    """Return what the customer's link page shows of a visit's progress (APT-8)."""
    return {
        V.EN_ROUTE: "en_route",
        V.ON_SITE: "on_site",
        V.IN_PROGRESS: "on_site",
        V.PAUSED: "on_site",
        V.COMPLETED: "done",
        V.CANCELLED: "cancelled",
        V.UNABLE_TO_FINISH: "not_finished",
    }.get(visit_status, "assigned" if assigned else "booked")
