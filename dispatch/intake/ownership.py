"""The named current owner of a job (ROL-4: 明确每个环节的责任人).

A service request is the job: one owner answers for it until it is finished. Dispatchers and
managers of its region (the assigners, ROL-3) hand it to another active staff member who serves
that region, with a reason; the change is audited. Nobody is never an answer (422).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.errors import Conflict, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.users.models import User
from dispatch.users.rules import ALL_REGION_ROLES, Role


def may_own(user: User | None, region_ids: set[int | None]) -> bool:
    """Whether `user` can answer for a job lying in `region_ids` (its site's and those it was
    handed to, DSP-13): active staff serving one of them."""
    if user is None or not user.active or user.role == Role.TECHNICIAN:
        return False
    return (
        user.role in ALL_REGION_ROLES
        or None in region_ids
        or bool(region_ids & set(user.region_ids))
    )


def change_owner(
    session: Session, *, actor: Actor, request_id: int, owner_id: int | None, reason: str
) -> ServiceRequest:
    """Give the open job a new named owner, with the reason, audited."""
    from dispatch.users.handover import FINISHED_JOBS

    request = get_request(session, request_id, actor=actor)
    if owner_id is None:
        raise RuleViolation(
            "A job always has an owner",
            error_code="owner_required",
            details={"owner_id": ["name the new owner"]},
        )
    if request.status in FINISHED_JOBS:
        raise Conflict("The job is finished; it needs no owner any more", error_code="job_finished")
    owner = session.get(User, owner_id)
    regions = {access.region_of_request(request)} | access.handed_to_regions(request)
    if not may_own(owner, regions):
        raise RuleViolation(
            "The new owner must be active staff serving the job's region",
            error_code="owner_invalid",
            details={"owner_id": ["unknown, inactive, a technician or outside the region"]},
        )
    with audited(session, actor, request, "request.owner_changed", extra={"reason": reason}):
        request.hand_to(owner.id)
    return request
