"""Set a job's location mode and hold dispatch and closing to its appointments (VCH-17)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.booking.models import Appointment
from dispatch.errors import Conflict
from dispatch.intake.models import ServiceRequest
from dispatch.intake.service import get_request
from dispatch.locationmodes import rules
from dispatch.locationmodes.models import JobLocationMode
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus


def set_mode(*, session: Session, actor: Actor, request_id: int, mode: str) -> dict:
    """Choose where the job's work happens; shows the appointments it still needs."""
    request = get_request(session, request_id, actor=actor)
    row = session.get(JobLocationMode, request.id, with_for_update=True)
    if row is None:
        row = JobLocationMode(request_id=request.id, mode=mode, set_by_id=actor.id)
        session.add(row)
    with audited(session, actor, row, "job.location_mode"):
        row.change(mode, actor.id)
    return _shown(session, request, row)


def show(*, session: Session, actor: Actor, request_id: int) -> dict:
    """Return the job's location mode, its required appointments and the missing ones."""
    request = get_request(session, request_id, actor=actor)
    return _shown(session, request, session.get(JobLocationMode, request.id))


def check_may_dispatch(session: Session, visit: Visit) -> None:
    """Refuse to dispatch a visit whose appointment kind the job's mode does not take."""
    row = session.get(JobLocationMode, visit.request_id)
    problem = rules.dispatch_problem(row.mode, visit.appointment.kind) if row else None
    if problem:
        raise Conflict(
            f"The visit cannot be dispatched: {problem}",
            error_code="appointment_kind_mismatch",
            details={"kind": [problem]},
        )


def check_may_close(session: Session, request: ServiceRequest) -> None:
    """Refuse to close a job without every appointment its mode requires (VCH-17)."""
    row = session.get(JobLocationMode, request.id)
    gaps = rules.missing(row.mode, _booked_kinds(session, request.id)) if row else []
    if gaps:
        raise Conflict(
            f"The {row.mode} job misses its appointments: {', '.join(gaps)}",
            error_code="appointments_missing",
            details={"missing": gaps},
        )


def _booked_kinds(session: Session, request_id: int) -> set[str]:
    return set(
        session.scalars(
            select(Appointment.kind)
            .join(Visit, Visit.id == Appointment.visit_id)
            .where(Visit.request_id == request_id, Visit.status != VisitStatus.CANCELLED)
        )
    )


def _shown(session: Session, request: ServiceRequest, row: JobLocationMode | None) -> dict:
    if row is None:
        return {"request_id": request.id, "mode": None, "required": [], "missing": []}
    return {
        "request_id": request.id,
        "mode": row.mode,
        "required": ["|".join(sorted(g)) for g in rules.REQUIRED[rules.LocationMode(row.mode)]],
        "missing": rules.missing(row.mode, _booked_kinds(session, request.id)),
    }
