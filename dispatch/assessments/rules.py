"""The assessment lifecycle (VCH-5): submitted → approved (sent the same day) or rejected."""

from __future__ import annotations

from enum import StrEnum

from dispatch.lifecycle import Lifecycle


class AssessmentStatus(StrEnum):
    SUBMITTED = "submitted"  # the technician's diagnosis and proposed solution
    APPROVED = "approved"  # by a supervisor; sent to the customer at once (same day)
    REJECTED = "rejected"  # back to the technician, who submits again


S = AssessmentStatus

ASSESSMENT_LIFECYCLE = Lifecycle(
    "assessment",
    {
        S.SUBMITTED: {S.APPROVED, S.REJECTED},
        S.REJECTED: {S.SUBMITTED},
        S.APPROVED: set(),
    },
)
