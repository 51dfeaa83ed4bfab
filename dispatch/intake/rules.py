"""Enumerations and the job lifecycle of the intake (REQUIREMENTS.md 'Enumerations and states')."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from dispatch.lifecycle import Lifecycle

JOB_REQUEST_TYPES = ("repair", "installation", "inspection")
OTHER_REQUEST_TYPES = (
    "consultation",
    "query",
    "complaint",
    "suggestion",
    "praise",
    "report",
    "return_exchange",
)
REQUEST_TYPES = JOB_REQUEST_TYPES + OTHER_REQUEST_TYPES
CHANNELS = (
    "phone",
    "sms_link",
    "technician_app",
    "web_form",
    "online_chat",
    "email",
    "walk_in",
    "letter",
    "social_media",
    "internal",
    "dealer",
    "external_body",
)
SERVICE_CLASSES = ("A", "B", "C", "D")  # paid, contract, free (incl. warranty), internal
PRIORITIES = ("high", "medium", "low")
SUBMITTER_KINDS = ("department", "dealer", "technician")  # INT-14
ANSWER_HOW = ("on_the_spot", "remote")  # INT-9
CATEGORIES = (
    "appliance",
    "electronics",
    "hvac",
    "plumbing",
    "electrical",
    "furniture",
    "other",
)


class JobStatus(StrEnum):
    """States of a request and the field job it becomes."""

    REGISTERED = "registered"
    VERIFIED = "verified"
    SCHEDULED = "scheduled"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CLOSED = "closed"
    RESOLVED_REMOTELY = "resolved_remotely"
    OUT_OF_SCOPE = "out_of_scope"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


class HoldReason(StrEnum):
    """Why a started job waits (the qualifier of on_hold)."""

    PARTS = "parts"
    NOT_FINISHED_TODAY = "not_finished_today"
    COORDINATION = "coordination"


J = JobStatus
# Jobs a visit can be booked for; booking one on hold is its follow-on appointment (APT-11).
AWAITING_BOOKING = frozenset({J.REGISTERED, J.VERIFIED, J.REOPENED, J.ON_HOLD})
# Closed for good: a new need is a new request linked to it (INT-17).
CLOSED_STATES = frozenset({J.CLOSED, J.RESOLVED_REMOTELY})
# Requests that ended without a visit already had their answer (APT-12).
ENDED_WITHOUT_VISIT = frozenset({J.RESOLVED_REMOTELY, J.OUT_OF_SCOPE, J.CANCELLED})
ANSWER_DEADLINE = timedelta(hours=72)  # H8: registration to a specific answer (APT-12)
# Before anyone is on site: cancelling the job is still open.
BEFORE_SITE = frozenset({J.REGISTERED, J.VERIFIED, J.SCHEDULED, J.ASSIGNED, J.ACCEPTED})
# Acceptance (DSP-5) has no endpoint yet, so a scheduled job's visit may set off directly.
JOB_LIFECYCLE = Lifecycle(
    "request",
    {
        J.REGISTERED: {J.VERIFIED, J.SCHEDULED, J.RESOLVED_REMOTELY, J.OUT_OF_SCOPE, J.CANCELLED},
        J.VERIFIED: {J.SCHEDULED, J.RESOLVED_REMOTELY, J.OUT_OF_SCOPE, J.CANCELLED},
        # A missed appointment sends the job back to be booked again.
        J.SCHEDULED: {J.ASSIGNED, J.EN_ROUTE, J.REGISTERED, J.CANCELLED},
        J.ASSIGNED: {J.ACCEPTED, J.EN_ROUTE, J.CANCELLED},
        J.ACCEPTED: {J.EN_ROUTE, J.CANCELLED},
        J.EN_ROUTE: {J.ON_SITE, J.CANCELLED},
        J.ON_SITE: {J.IN_PROGRESS, J.ON_HOLD, J.COMPLETED},
        J.IN_PROGRESS: {J.ON_HOLD, J.COMPLETED},
        # Left through a follow-on appointment (APT-11), or by resuming the paused work.
        J.ON_HOLD: {J.SCHEDULED, J.IN_PROGRESS},
        J.COMPLETED: {J.CLOSED, J.REOPENED},
        # The same fault back (FUP-5); a new need after closure is a new, linked request (INT-17).
        J.CLOSED: {J.REOPENED},
        J.REOPENED: {J.SCHEDULED, J.ASSIGNED},
        J.RESOLVED_REMOTELY: set(),
        J.OUT_OF_SCOPE: set(),
        J.CANCELLED: set(),
    },
)


def specific_answer_given(*, diagnosed: bool, date_agreed: bool, status: str) -> bool:
    """Return whether the customer has a specific answer (APT-12): a diagnosis plus a confirmed
    date, or the request ended without a visit (answered, out of scope, cancelled)."""
    return (diagnosed and date_agreed) or status in ENDED_WITHOUT_VISIT


def creates_job(request_type: str) -> bool:
    """Return whether this type of request leads to a field job."""
    return request_type in JOB_REQUEST_TYPES


def hold_reason(unable_reason: str) -> HoldReason:
    """Return the on_hold qualifier for why a technician could not finish (APT-11)."""
    return {
        "needs_parts": HoldReason.PARTS,
        "parts": HoldReason.PARTS,
        "not_finished_today": HoldReason.NOT_FINISHED_TODAY,
    }.get(unable_reason, HoldReason.COORDINATION)


def close_problem(*, voucher_archived: bool, customer_confirmed: bool) -> tuple[str, str] | None:
    """Return (error_code, why) a completed job cannot close yet, or None (VCH-11)."""
    if not voucher_archived:
        return "voucher_not_archived", "the service voucher is not archived"
    if not customer_confirmed:
        return "fix_not_confirmed", "the customer has not confirmed the problem is solved"
    return None
