"""A disputed charge is escalated from its charge record as a complaint (VCH-15)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints import service as complaints
from dispatch.config import Config
from dispatch.errors import NotFound
from dispatch.quotes.models import Charge
from dispatch.visits.service import get_visit


def get_charge(session: Session, actor: Actor, charge_id: int, *, lock: bool = False) -> Charge:
    """Load a charge of a visit the actor may see (404 outside the actor's regions)."""
    charge = session.get(Charge, charge_id, with_for_update=lock)
    if charge is None:
        raise NotFound(f"Charge {charge_id} not found")
    get_visit(session, charge.visit_id, actor=actor)
    return charge


def dispute(
    *, session: Session, actor: Actor, config: Config, charge_id: int, reason: str
) -> Charge:
    """Record the customer's dispute of a charge and open a price complaint about it."""
    charge = get_charge(session, actor, charge_id, lock=True)
    visit = charge.quote.visit
    with audited(session, actor, charge, "charge.disputed"):
        charge.dispute(at=utcnow(), reason=reason)
        complaint = complaints.open_complaint(
            session=session,
            actor=actor,
            config=config,
            customer_id=visit.request.customer_id,
            owner_id=visit.request.owner_id,
            visit_id=visit.id,
            channel="phone",
            category="price",
            nature="soft",
            priority=visit.request.priority,
            description=f"Disputed charge {charge.name} ¥{charge.amount_cents / 100:.2f}: {reason}",
        )
        charge.complaint_id = complaint.id
    return charge
