"""Technicians' positions: sensitive personal information (PIPL art. 28).

Recorded only with the technician's separate consent, and only while on a visit (en route
until completed); otherwise a position is dropped and the answer says why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import NotFound
from dispatch.privacy import rules
from dispatch.privacy.models import LocationConsent, TechnicianPosition


def consented(session: Session, technician_id: int) -> bool:
    latest = session.scalars(
        select(LocationConsent)
        .where(LocationConsent.technician_id == technician_id)
        .order_by(LocationConsent.id.desc())
        .limit(1)
    ).first()
    return bool(latest and latest.given)


def set_consent(session: Session, actor: Actor, given: bool) -> LocationConsent:
    """Give or withdraw consent; withdrawing also deletes the positions kept so far."""
    consent = LocationConsent(technician_id=actor.technician_id, given=given, at=utcnow())
    session.add(consent)
    if not given:
        for position in session.scalars(
            select(TechnicianPosition).where(
                TechnicianPosition.technician_id == actor.technician_id
            )
        ):
            session.delete(position)
    session.flush()
    return consent


def record_position(
    session: Session, actor: Actor, *, visit_id: int, lat: float, lon: float, taken_at: datetime
) -> dict:
    """Keep a position if the rules allow it; say why when they do not."""
    from dispatch.visits.models import Visit

    visit = session.get(Visit, visit_id)
    if visit is None or visit.technician_id != actor.technician_id:
        raise NotFound("Visit not found")
    if not consented(session, actor.technician_id):
        return {"recorded": False, "reason": "no_location_consent"}
    if not rules.may_record_position(True, visit.status):
        return {"recorded": False, "reason": "not_on_a_visit"}
    session.add(
        TechnicianPosition(
            technician_id=actor.technician_id,
            visit_id=visit.id,
            lat=lat,
            lon=lon,
            taken_at=taken_at,
            received_at=utcnow(),
        )
    )
    return {"recorded": True, "reason": None}
