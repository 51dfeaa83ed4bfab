"""The technician's status changes on a visit: en route, on site, completed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.booking.eta import eta
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.followups import service as followups
from dispatch.intake import service as intake
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit
from dispatch.visits.service import checked_device_time, get_for_technician, timezone_of
from dispatch.vouchers import service as vouchers


def _change(session: Session, actor: Actor, visit: Visit, action: str, device_time, move):
    before = visit.snapshot()
    move()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="visit",
        entity_id=visit.id,
        before=before,
        after=visit.snapshot(),
        device_time=device_time,
    )


def depart(
    *, session: Session, actor: Actor, config: Config, visit_id: int, device_time: datetime
) -> Visit:
    """Set off to the site; the customer is told the technician is on the way, with an ETA."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    _change(
        session,
        actor,
        visit,
        "visit.en_route",
        at,
        lambda: visit.depart(at=at, received_at=utcnow()),
    )
    queue_sms(
        session,
        customer=visit.request.customer,
        template="technician_en_route",
        visit_id=visit.id,
        number=visit.number,
        technician=visit.technician.name,
        eta=_local_clock(eta(visit, config), visit, config),
    )
    return visit


def _local_clock(moment: datetime | None, visit: Visit, config: Config) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(timezone_of(visit, config))).strftime("%H:%M")


def arrive(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    device_time: datetime,
    lat: float | None = None,
    lon: float | None = None,
) -> Visit:
    """Check in at the customer's site."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    _change(
        session,
        actor,
        visit,
        "visit.on_site",
        at,
        lambda: visit.arrive(at=at, received_at=utcnow(), lat=lat, lon=lon),
    )
    intake.set_status(session, actor, visit.request, "in_service")
    return visit


def complete(
    *,
    session: Session,
    actor: Actor,
    config: Config,
    visit_id: int,
    device_time: datetime,
    service_content: str,
    signature: dict,
    parts: list | None = None,
    labour_minutes: int = 0,
    fee_cents: int = 0,
) -> Visit:
    """Finish the work: signed voucher, request completed, follow-up scheduled (FUP-1)."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    _change(
        session,
        actor,
        visit,
        "visit.completed",
        at,
        lambda: visit.complete(at=at, received_at=utcnow()),
    )
    tz = timezone_of(visit, config)
    voucher = vouchers.issue_signed(
        session,
        actor=actor,
        visit=visit,
        tz=tz,
        service_content=service_content,
        parts=parts or [],
        labour_minutes=labour_minutes,
        fee_cents=fee_cents,
        signature=signature,
        at=at,
    )
    intake.set_status(session, actor, visit.request, "completed")
    followups.schedule_for(session, config=config, visit=visit, tz=tz)
    queue_sms(
        session,
        customer=visit.request.customer,
        template="visit_completed",
        visit_id=visit.id,
        number=visit.number,
        voucher=voucher.number,
    )
    return visit
