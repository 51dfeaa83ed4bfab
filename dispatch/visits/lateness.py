"""A technician running late tells the customer the new ETA (APT-9).

The late check-in itself is flagged at arrival (dispatch.visits.fieldwork.arrive).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.config import Config
from dispatch.errors import InvalidTransition, RuleViolation
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus
from dispatch.visits.service import get_for_technician, local_clock

STILL_COMING = frozenset({VisitStatus.SCHEDULED, VisitStatus.EN_ROUTE})


def announce_delay(
    *, session: Session, actor: Actor, config: Config, visit_id: int, new_eta: datetime
) -> Visit:
    """Send the customer a delay SMS with the new ETA; urgent, so the contact window is no bar."""
    visit = get_for_technician(session, actor, visit_id)
    if visit.status not in STILL_COMING:
        raise InvalidTransition(
            f"Visit is {visit.status}; a delay is only announced before arrival",
            details={"status": visit.status},
        )
    if new_eta <= visit.window_start:
        raise RuleViolation(
            "The new ETA must be later than the window's start",
            error_code="eta_not_later",
            details={"new_eta": ["must be after the window start"]},
        )
    with audited(session, actor, visit, "visit.delay_announced", extra={"new_eta": str(new_eta)}):
        visit.field_record.delay_eta = new_eta
    queue_sms(
        session,
        customer=visit.request.customer,
        template="technician_delayed",
        visit_id=visit.id,
        number=visit.number,
        technician=visit.technician.name if visit.technician else "",
        eta=local_clock(new_eta, visit, config),
    )
    return visit
