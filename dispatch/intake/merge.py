"""Merge a duplicate customer into the one kept, moving their whole history (INT-8).

The duplicate's row stays, marked merged, so old references and the audit trail still resolve;
its requests, complaints, special notes, sites, products, phones and links move to the kept
customer.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import SpecialNote
from dispatch.customers.models import Asset, Customer, CustomerPhone, Site
from dispatch.customers.service import get_customer
from dispatch.errors import Conflict
from dispatch.intake.models import ServiceRequest
from dispatch.links.models import CustomerLink

HISTORY = (ServiceRequest, Complaint, SpecialNote, Site, Asset, CustomerPhone, CustomerLink)


def merge_customers(*, session: Session, actor: Actor, duplicate_id: int, keep_id: int) -> Customer:
    """Move the duplicate's history to the kept customer and mark the duplicate merged."""
    duplicate = get_customer(session, duplicate_id, actor=actor)
    kept = get_customer(session, keep_id, actor=actor)
    if duplicate.id == kept.id or duplicate.merged_into_id or kept.merged_into_id:
        raise Conflict(
            "Only two different customers that are not merged already can be merged",
            error_code="merge_not_possible",
        )
    moved = {}
    for model in HISTORY:
        result = session.execute(
            update(model)
            .where(model.customer_id == duplicate.id)
            .values(customer_id=kept.id)
            .execution_options(synchronize_session="fetch")
        )
        moved[model.__tablename__] = result.rowcount
    if duplicate.phone != kept.phone:  # the duplicate's number keeps finding the customer
        session.add(
            CustomerPhone(
                customer_id=kept.id,
                phone=duplicate.phone,
                phone_index=duplicate.phone_index,
                label="merged",
            )
        )
    duplicate.merged_into_id, duplicate.merged_at = kept.id, utcnow()
    audit.record(
        session,
        actor=actor,
        action="customer.merged",
        entity="customer",
        entity_id=duplicate.id,
        after={"merged_into_id": kept.id, "moved": moved},
    )
    session.flush()
    session.expire(kept)
    return kept
