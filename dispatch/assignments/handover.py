"""DSP-9: at a region's day end, every job dispatched that day and not finished is listed; each
needs a handover note naming its next owner before the dispatch shift can close."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.access import ensure_region
from dispatch.actors import Actor
from dispatch.assignments.models import JobAssignment, ShiftClosure
from dispatch.assignments.rules import AssignmentStatus
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Site
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.regions.models import Region
from dispatch.users.models import User
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus
from dispatch.visits.service import get_visit


def _region(session: Session, actor: Actor, region_id: int) -> Region:
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound(f"Region {region_id} not found")
    ensure_region(actor, region.id, what="Region")
    return region


def _day_span(region: Region, config: Config, day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(region.timezone or config.default_timezone)
    start = datetime.combine(day, datetime.min.time(), zone)
    return start, start + timedelta(days=1)


def unfinished(
    *, session: Session, actor: Actor, config: Config, region_id: int, day: date
) -> list[dict]:
    """List the region's jobs dispatched on `day` and not completed, with their handover."""
    region = _region(session, actor, region_id)
    start, end = _day_span(region, config, day)
    rows = session.execute(
        select(JobAssignment, Visit)
        .join(Visit, Visit.id == JobAssignment.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .join(Site, Site.id == ServiceRequest.site_id)
        .where(
            Site.region_id == region.id,
            JobAssignment.status != AssignmentStatus.SUPERSEDED,
            JobAssignment.assigned_at >= start,
            JobAssignment.assigned_at < end,
            Visit.completed_at.is_(None),
            Visit.status != VisitStatus.CANCELLED,
        )
        .order_by(Visit.number)
    ).all()
    return [
        {
            "visit_id": visit.id,
            "visit_number": visit.number,
            "technician_id": row.technician_id,
            "visit_status": visit.status,
            "handover_note": row.handover_note,
            "handover_owner_id": row.handover_owner_id,
            "handover_at": row.handover_at,
            "needs_handover": row.handover_at is None,
        }
        for row, visit in rows
    ]


def hand_over(
    *, session: Session, actor: Actor, visit_id: int, note: str, next_owner_id: int
) -> JobAssignment:
    """Write the handover note of an unfinished job, naming who takes it over (DSP-9)."""
    visit = get_visit(session, visit_id, actor=actor)
    owner = session.get(User, next_owner_id)
    if owner is None or not owner.active:
        raise RuleViolation(
            "The next owner must be an active user",
            error_code="unknown_next_owner",
            details={"next_owner_id": ["unknown or inactive"]},
        )
    row = session.scalars(
        select(JobAssignment)
        .where(
            JobAssignment.visit_id == visit.id,
            JobAssignment.status != AssignmentStatus.SUPERSEDED,
        )
        .order_by(JobAssignment.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None or visit.completed_at is not None:
        raise Conflict("Only a dispatched, unfinished job is handed over", error_code="no_handover")
    row.hand_over(note=note, owner_id=owner.id, at=utcnow())
    audit.record(
        session,
        actor=actor,
        action="visit.handed_over",
        entity="visit",
        entity_id=visit.id,
        after={"note": note, "next_owner_id": owner.id},
    )
    return row


def close_shift(
    *, session: Session, actor: Actor, config: Config, region_id: int, day: date
) -> ShiftClosure:
    """Close the region's dispatch shift of `day`; refused while a job lacks its handover."""
    missing = [
        item["visit_number"]
        for item in unfinished(
            session=session, actor=actor, config=config, region_id=region_id, day=day
        )
        if item["needs_handover"]
    ]
    if missing:
        raise RuleViolation(
            "Every unfinished job needs a handover note before the shift closes",
            error_code="handover_missing",
            details={"visits": missing},
        )
    closure = ShiftClosure(region_id=region_id, day=day, closed_by_id=actor.id)
    try:
        with session.begin_nested():
            session.add(closure)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("The shift is already closed", error_code="shift_closed") from exc
    audit.record(
        session,
        actor=actor,
        action="shift.closed",
        entity="region",
        entity_id=region_id,
        after={"day": day.isoformat()},
    )
    return closure
