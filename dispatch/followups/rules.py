"""The satisfaction follow-up (回访): its lifecycle, and when it goes out (FUP-1)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum

from dispatch.lifecycle import Lifecycle
from dispatch.regions.rules import into_contact_window


class FollowUpStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    ANSWERED = "answered"  # by the customer on the link
    PHONE_TASK = "phone_task"  # the link went unanswered: an agent calls (FUP-4)
    DONE = "done"  # the agent entered the answers


F = FollowUpStatus
FOLLOWUP_LIFECYCLE = Lifecycle(
    "follow-up",
    {
        F.SCHEDULED: {F.SENT},
        F.SENT: {F.ANSWERED, F.PHONE_TASK},
        F.PHONE_TASK: {F.DONE, F.ANSWERED},  # the customer may still use the link
        F.ANSWERED: set(),
        F.DONE: set(),
    },
)


def followup_times(
    completed_at: datetime,
    *,
    delay: timedelta,
    deadline: timedelta,
    tz: str,
    window_start: time,
    window_end: time,
) -> tuple[datetime, datetime]:
    """Return (send at, deadline): completion + delay, moved into the window, never late."""
    latest = completed_at + deadline
    send_at = into_contact_window(completed_at + delay, tz, window_start, window_end)
    return min(send_at, latest), latest


# Why a customer was unhappy (FUP-3); the survey page offers these as check boxes.
SURVEY_REASONS = (
    "late_arrival",
    "problem_not_fixed",
    "unfriendly",
    "too_expensive",
    "left_a_mess",
    "took_too_long",
    "other",
)


def unsatisfied(rating: int | None, problem_solved: bool | None, threshold: int) -> bool:
    """Return whether an answer opens a complaint: a low rating or "not solved" (FUP-5)."""
    return problem_solved is False or (rating is not None and rating <= threshold)
