"""Leaving staff: see a user's open work, hand it over, deactivate (ROL-4, ROL-6).

Open work is what names the user as its current owner: service requests not yet finished,
complaints not closed, follow-up phone tasks not done, and, for a technician, visits not ended.
A user holding any of it cannot be deactivated: the API never leaves an item without an owner.
Requests, complaints and phone tasks move with `hand_over`; a technician's visits are the
dispatcher's to rebook or reassign through the schedule (the one owner of a technician's time).
History keeps its attribution: the user row stays (inactive), and registrars, first owners,
signers and audit rows keep pointing at it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint
from dispatch.complaints.rules import OPEN_STATES as OPEN_COMPLAINT_STATES
from dispatch.devices.models import DeviceSession
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.followups.models import FollowUp
from dispatch.followups.rules import FollowUpStatus
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JobStatus
from dispatch.technicians.models import Technician
from dispatch.users.models import User
from dispatch.users.rules import Role
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus

FINISHED_JOBS = (
    JobStatus.CLOSED,
    JobStatus.RESOLVED_REMOTELY,
    JobStatus.OUT_OF_SCOPE,
    JobStatus.CANCELLED,
)
ENDED_VISITS = (VisitStatus.COMPLETED, VisitStatus.UNABLE_TO_FINISH, VisitStatus.CANCELLED)


def get_user(session: Session, user_id: int, *, actor: Actor) -> User:
    """Load a user the actor may administer or raise NotFound: one serving a region of the
    actor's; users of no region (head office) only for head-office actors."""
    user = session.get(User, user_id)
    served = user.region_ids if user else []
    if user is None or not any(access.may_see_region(actor, r) for r in served or [None]):
        raise NotFound(f"User {user_id} not found")
    return user


def open_items(session: Session, user: User) -> dict[str, list[int]]:
    """Return the ids of the open work the user currently owns, by kind."""
    requests = session.scalars(
        select(ServiceRequest.id).where(
            ServiceRequest.owner_id == user.id, ServiceRequest.status.not_in(FINISHED_JOBS)
        )
    )
    complaints = session.scalars(
        select(Complaint.id).where(
            Complaint.owner_id == user.id, Complaint.status.in_(OPEN_COMPLAINT_STATES)
        )
    )
    phone_tasks = session.scalars(
        select(FollowUp.id).where(
            FollowUp.phone_task_owner_id == user.id,
            FollowUp.status == FollowUpStatus.PHONE_TASK,
        )
    )
    visits = session.scalars(
        select(Visit.id)
        .join(Technician, Technician.id == Visit.technician_id)
        .where(Technician.user_id == user.id, Visit.status.not_in(ENDED_VISITS))
    )
    return {
        "requests": sorted(requests),
        "complaints": sorted(complaints),
        "phone_tasks": sorted(phone_tasks),
        "visits": sorted(visits),
    }


def hand_over(
    session: Session, *, actor: Actor, user_id: int, to_user_id: int, reason: str
) -> dict[str, list[int]]:
    """Give the user's open requests, complaints and phone tasks to another active staff member;
    return what is left (a technician's visits stay for the dispatcher to rebook)."""
    user = get_user(session, user_id, actor=actor)
    successor = session.get(User, to_user_id)
    if (
        successor is None
        or not successor.active
        or successor.role == Role.TECHNICIAN
        or successor.id == user.id
    ):
        raise RuleViolation(
            "Hand over to another active staff member",
            error_code="successor_invalid",
            details={"to_user_id": ["unknown, inactive, a technician or the same user"]},
        )
    items = open_items(session, user)
    for request in session.scalars(
        select(ServiceRequest).where(ServiceRequest.id.in_(items["requests"]))
    ):
        with audited(session, actor, request, "request.handed_over", extra={"reason": reason}):
            request.hand_to(successor.id)
    for complaint in session.scalars(
        select(Complaint).where(Complaint.id.in_(items["complaints"]))
    ):
        complaint.hand_to(successor.id, reason, by_user_id=actor.id)
    for followup in session.scalars(select(FollowUp).where(FollowUp.id.in_(items["phone_tasks"]))):
        with audited(session, actor, followup, "followup.handed_over"):
            followup.hand_phone_task_to(successor.id)
    session.flush()
    return open_items(session, user)


def deactivate(session: Session, *, actor: Actor, user_id: int) -> User:
    """Deactivate a user who owns no open work; their sessions end at once (ROL-6)."""
    user = get_user(session, user_id, actor=actor)
    if user.id == actor.id:
        raise Conflict("Nobody deactivates their own account", error_code="own_account")
    left = {kind: ids for kind, ids in open_items(session, user).items() if ids}
    if left:
        raise Conflict(
            "Hand over the user's open work first",
            error_code="open_items",
            details={"open_items": left},
        )
    now = utcnow()
    for device in session.scalars(
        select(DeviceSession).where(DeviceSession.user_id == user.id).with_for_update()
    ):
        if device.active:
            device.revoke(now, "deactivated")
    technician = session.scalars(select(Technician).where(Technician.user_id == user.id)).first()
    if technician is not None:
        technician.active = False
    user.deactivate()
    audit.record(
        session,
        actor=actor,
        action="user.deactivated",
        entity="user",
        entity_id=user.id,
        before={"active": True},
        after={"active": False},
    )
    return user
