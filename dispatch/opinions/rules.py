"""Opinions: their lifecycle, their categories and the department each is routed to."""

from __future__ import annotations

from enum import StrEnum

from dispatch.lifecycle import Lifecycle


class OpinionStatus(StrEnum):
    OPEN = "open"  # in the department's inbox, nobody has taken it yet
    ACKNOWLEDGED = "acknowledged"  # a named owner handles it
    CLOSED = "closed"


class OpinionCategory(StrEnum):
    SCHEDULING = "scheduling"
    REPAIR_QUALITY = "repair_quality"
    SERVICE_ATTITUDE = "service_attitude"
    PRICING = "pricing"
    PRODUCT = "product"
    OTHER = "other"


class Department(StrEnum):
    DISPATCH = "dispatch"
    TECHNICAL = "technical"
    QUALITY = "quality"
    FINANCE = "finance"
    PRODUCT = "product"
    CUSTOMER_SERVICE = "customer_service"


class OpinionSource(StrEnum):
    FOLLOWUP = "followup"  # the free-text remark of a follow-up answer (FUP-8)
    LINK = "link"  # sent by the customer from any of their links (FUP-11)


S, C, D = OpinionStatus, OpinionCategory, Department
OPINION_LIFECYCLE = Lifecycle(
    "opinion",
    {
        S.OPEN: {S.ACKNOWLEDGED, S.CLOSED},
        S.ACKNOWLEDGED: {S.CLOSED},
        S.CLOSED: set(),
    },
)

# The routing rule of FUP-8: which department answers an opinion of each category.
DEPARTMENT_OF = {
    C.SCHEDULING: D.DISPATCH,
    C.REPAIR_QUALITY: D.TECHNICAL,
    C.SERVICE_ATTITUDE: D.QUALITY,
    C.PRICING: D.FINANCE,
    C.PRODUCT: D.PRODUCT,
    C.OTHER: D.CUSTOMER_SERVICE,
}

# The survey's reasons (FUP-3) as opinion categories; the first reason given decides.
CATEGORY_OF_REASON = {
    "late_arrival": C.SCHEDULING,
    "took_too_long": C.SCHEDULING,
    "problem_not_fixed": C.REPAIR_QUALITY,
    "unfriendly": C.SERVICE_ATTITUDE,
    "left_a_mess": C.SERVICE_ATTITUDE,
    "too_expensive": C.PRICING,
    "other": C.OTHER,
}


def department_for(category: str) -> Department:
    """Return the department responsible for opinions of a category."""
    return DEPARTMENT_OF.get(OpinionCategory(category), D.CUSTOMER_SERVICE)


def category_of_survey(reasons: list[str] | None) -> OpinionCategory:
    """Return the category of a follow-up remark from the reasons the customer ticked."""
    for reason in reasons or ():
        if reason in CATEGORY_OF_REASON:
            return CATEGORY_OF_REASON[reason]
    return C.OTHER


def remark_of(comment: str | None) -> str | None:
    """Return the follow-up's free text worth routing, or None when it says nothing."""
    text = (comment or "").strip()
    return text or None
