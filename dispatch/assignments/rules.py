"""Pure rules of an assignment: its lifecycle and when the dispatcher must hear of silence."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from dispatch.lifecycle import Lifecycle


class AssignmentStatus(StrEnum):
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"  # the visit went to someone else (or to nobody)


class AssignmentSource(StrEnum):
    BOOKING = "booking"  # a technician chosen (or found) when the window was booked
    PLAN = "plan"  # an accepted route plan
    OVERRIDE = "override"  # a dispatcher's pin or hand-picked technician (DSP-3)


S = AssignmentStatus

ASSIGNMENT_LIFECYCLE = Lifecycle(
    "assignment",
    {
        S.AWAITING_ACCEPTANCE: {S.ACCEPTED, S.SUPERSEDED},
        S.ACCEPTED: {S.SUPERSEDED},
        S.SUPERSEDED: set(),
    },
)

# DSP-5 / H1: the technician accepts (接单) within this many minutes of the notification.
ACCEPTANCE_MINUTES = 15


def acceptance_due(assigned_at: datetime, minutes: int = ACCEPTANCE_MINUTES) -> datetime:
    """Return when a still unaccepted assignment alerts the dispatcher."""
    return assigned_at + timedelta(minutes=minutes)


# DSP-10: the dispatcher checks a job marked simple this long after dispatch.
SIMPLE_CHECK_MINUTES = 60


def simple_check_due(assigned_at: datetime, simple: bool) -> datetime | None:
    return assigned_at + timedelta(minutes=SIMPLE_CHECK_MINUTES) if simple else None


def arrival_due(assigned_at: datetime, emergency_minutes: int | None) -> datetime | None:
    """DSP-11: when the technician must have checked in, if the region's SLA is on."""
    if emergency_minutes is None:
        return None
    return assigned_at + timedelta(minutes=emergency_minutes)


def push_text(visit_number: str, window: str) -> tuple[str, str]:
    """Return the title and body of the 'new job' push to the technician."""
    return "New job / 新派工", f"Job {visit_number}, {window}: please accept (接单) in the app."
