"""A technician's proposal of a follow-on appointment for their visit (APT-4, APT-3).

Only the customer (by link) or an agent on the customer's behalf confirms it; the technician
has no way to. The proposed visit is on nobody's day yet: the dispatcher places it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit, numbering
from dispatch.actors import Actor
from dispatch.booking import rules
from dispatch.booking.models import Appointment
from dispatch.booking.service import _ask_to_confirm, _check_window
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict
from dispatch.visits.models import Visit
from dispatch.visits.rules import AppointmentStatus
from dispatch.visits.service import checked_device_time, get_for_technician, timezone_of


def propose(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    device_time: datetime,
    window_start: datetime,
    window_end: datetime,
    kind: str = "repair",
    duration_minutes: int | None = None,
    note: str | None = None,
) -> Visit:
    """Propose a follow-on appointment of my visit; the customer gets the link to confirm it."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    problem = rules.follow_on_problem(
        visit.status, pending_follow_on(session, visit.id) is not None
    )
    if problem:
        raise Conflict(f"No follow-on can be proposed: {problem[1]}", error_code=problem[0])
    _check_window(window_start, window_end)
    follow_on = Visit(
        number=numbering.next_number(session, "V", utcnow(), timezone_of(visit, config)),
        request=visit.request,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes or visit.duration_minutes,
        priority=visit.priority,
        required_skill=visit.required_skill,
        required_level=visit.required_level,
        follow_up_of_id=visit.id,
    )
    follow_on.appointment.kind = kind
    follow_on.appointment.assistance_notes = note
    audit.add_created(
        session,
        actor=actor,
        obj=follow_on,
        action="visit.follow_on_proposed",
        entity="visit",
        after=follow_on.snapshot()
        | {"follow_up_of_id": visit.id, "kind": kind, "device_time": at.isoformat()},
    )
    _ask_to_confirm(session, config, follow_on)
    return follow_on


def pending_follow_on(session: Session, visit_id: int) -> Visit | None:
    """Return the follow-on of the visit still waiting for the customer's confirmation."""
    return session.scalars(
        select(Visit)
        .join(Appointment, Appointment.visit_id == Visit.id)
        .where(
            Visit.follow_up_of_id == visit_id,
            Appointment.status == AppointmentStatus.PROPOSED,
        )
        .order_by(Visit.id.desc())
        .limit(1)
    ).first()
