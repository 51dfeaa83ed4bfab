"""The service plan lifecycle and its pure rules (INT-12).

drafting → proposed → agreed; a proposal the customer rejects goes back to drafting, and staff
propose a revised plan. Only an agreed plan lets the job be dispatched.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from dispatch.intake.rules import CLOSED_STATES, ENDED_WITHOUT_VISIT, creates_job
from dispatch.lifecycle import Lifecycle


class PlanStatus(StrEnum):
    DRAFTING = "drafting"  # staff write the remedy and the estimate
    PROPOSED = "proposed"  # sent to the customer, waiting for 同意方案
    AGREED = "agreed"  # the customer agreed (by link, or through an agent)


P = PlanStatus
PLAN_LIFECYCLE = Lifecycle(
    "service plan",
    {
        P.DRAFTING: {P.PROPOSED},
        P.PROPOSED: {P.AGREED, P.DRAFTING},  # rejected: back to drafting
        P.AGREED: set(),
    },
)
AGREED_VIA = ("link", "agent")
LINK_LIFETIME = timedelta(days=14)  # the customer's plan link, from the proposal
PAID_CLASS = "A"
FREE_CLASSES = ("C", "D")  # free (incl. warranty) and internal: nothing to charge


def estimate_problem(
    service_class: str, estimate_cents: int | None, estimate_minutes: int | None
) -> tuple[str, str] | None:
    """Return (error_code, why) the estimate does not fit the service class, or None.

    Class A (paid) needs an estimated cost and time; free and internal classes carry no cost.
    """
    if service_class == PAID_CLASS and (estimate_cents is None or estimate_minutes is None):
        return "estimate_required", "a class A plan needs an estimated cost and time"
    if service_class in FREE_CLASSES and estimate_cents:
        return "estimate_not_chargeable", f"a class {service_class} service is not charged"
    return None


def draft_problem(request_type: str, request_status: str) -> tuple[str, str] | None:
    """Return (error_code, why) a request takes no service plan, or None.

    A plan belongs to a field job that has not ended.
    """
    if not creates_job(request_type):
        return "no_field_job", f"a {request_type} request has no field job"
    if request_status in CLOSED_STATES | ENDED_WITHOUT_VISIT:
        return "request_ended", f"the request is {request_status}"
    return None


def blocks_dispatch(status: str | None) -> bool:
    """Return whether a plan in this status keeps the job from being dispatched.

    A request without a plan (the remedy unknown at intake) is not held back.
    """
    return status is not None and status != PlanStatus.AGREED


def money_text(cents: int | None) -> str:
    """Return a cost for the customer, e.g. '¥180.00'; '-' when there is none."""
    return "-" if cents is None else f"¥{cents // 100}.{cents % 100:02d}"
