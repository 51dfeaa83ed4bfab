"""Pure rules of the public web form (INT-15): one-time codes and the submissions' lifecycle.

A code is sent (SMS), then used once by the submission it confirms, or locked after too many
wrong tries; it expires on its own. A submission waits in the intake queue until an agent
registers it as a service request.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from dispatch.intake import rules as intake_rules
from dispatch.lifecycle import Lifecycle

CODE_DIGITS = 6
REQUEST_CHANNEL = "web_form"  # the channel of the service request it becomes (intake CHANNELS)
CONSENT_CHANNEL = "web"  # privacy CONSENT_CHANNELS: accepted on the form (PRV-1)
WEB_CATEGORIES = intake_rules.CATEGORIES


class CodeStatus(StrEnum):
    SENT = "sent"
    USED = "used"  # confirmed a submission; never again
    LOCKED = "locked"  # too many wrong tries


class SubmissionStatus(StrEnum):
    WAITING = "waiting"  # in the intake queue
    REGISTERED = "registered"  # an agent made it a service request
    ERASED = "erased"  # the customer's data was erased before anyone registered it (PRV-9)


CODE_LIFECYCLE = Lifecycle(
    "code",
    {
        CodeStatus.SENT: {CodeStatus.USED, CodeStatus.LOCKED},
        CodeStatus.USED: set(),
        CodeStatus.LOCKED: set(),
    },
)
SUBMISSION_LIFECYCLE = Lifecycle(
    "web request",
    {
        SubmissionStatus.WAITING: {SubmissionStatus.REGISTERED, SubmissionStatus.ERASED},
        SubmissionStatus.REGISTERED: set(),
        SubmissionStatus.ERASED: set(),
    },
)


def code_problem(
    *, status: str, expires_at: datetime, attempts: int, max_attempts: int, now: datetime
) -> tuple[str, str] | None:
    """Return (error_code, why) a code cannot confirm anything any more, or None."""
    if status == CodeStatus.USED:
        return "code_used", "this code was already used"
    if status == CodeStatus.LOCKED or attempts >= max_attempts:
        return code_problem_locked()
    if expires_at <= now:
        return "code_expired", "the code has expired; ask for a new code"
    return None


def sending_problem(
    *, sent_for_phone: int, sent_for_client: int, per_phone: int, per_client: int
) -> tuple[str, str] | None:
    """Return (error_code, why) no further code may be sent this hour, or None."""
    if sent_for_phone >= per_phone:
        return "too_many_codes_for_phone", "too many codes for this phone; try again later"
    if sent_for_client >= per_client:
        return "too_many_codes_from_client", "too many codes from this address; try again later"
    return None


def code_problem_locked() -> tuple[str, str]:
    """The problem of a code the last wrong try locked."""
    return "code_attempts_exceeded", "too many wrong tries; ask for a new code"


def attempts_left(attempts: int, max_attempts: int) -> int:
    return max(max_attempts - attempts, 0)
