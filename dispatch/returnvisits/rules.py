"""Periodic return visits (定期回访): their lifecycle, outcomes and when the next one is due."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from dispatch.lifecycle import Lifecycle

MAX_INTERVAL_MONTHS = 60


class ReturnVisitStatus(StrEnum):
    DUE = "due"  # a follow-up task waiting for its call
    DONE = "done"  # the outcome is recorded


class ReturnVisitOutcome(StrEnum):
    SATISFIED = "satisfied"  # reached; all is well
    NEEDS_SERVICE = "needs_service"  # reached; the customer wants a technician again
    NOT_REACHED = "not_reached"
    DECLINED = "declined"  # the customer wants no more return visits


RV = ReturnVisitStatus
RETURN_VISIT_LIFECYCLE = Lifecycle("return visit", {RV.DUE: {RV.DONE}, RV.DONE: set()})


def add_months(moment: datetime, months: int) -> datetime:
    """Return the same day and time `months` later (the month's last day when it is shorter)."""
    return moment + relativedelta(months=months)


def next_due(*, completed_at: datetime, last_due: datetime | None, interval_months: int):
    """Return when the next return visit after a job's completion is due: every
    `interval_months` after the completion, counted on from the last one created."""
    return add_months(last_due or completed_at, interval_months)


def plan_key_valid(service_class: str | None, product_model: str | None) -> bool:
    """A plan names exactly one of a service class or a product model."""
    return (service_class is None) != (product_model is None)
