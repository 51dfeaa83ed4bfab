"""The lifecycle of a part needed by a job (VCH-16)."""

from __future__ import annotations

from enum import StrEnum

from dispatch.lifecycle import Lifecycle


class JobPartStatus(StrEnum):
    NEEDED = "needed"
    ORDERED = "ordered"
    READY = "ready"
    USED = "used"
    CANCELLED = "cancelled"


P = JobPartStatus

JOB_PART_LIFECYCLE = Lifecycle(
    "job part",
    {
        P.NEEDED: {P.ORDERED, P.READY, P.CANCELLED},  # ready: taken from the van or the shelf
        P.ORDERED: {P.READY, P.CANCELLED},
        P.READY: {P.USED, P.CANCELLED},
        P.USED: set(),
        P.CANCELLED: set(),
    },
)
