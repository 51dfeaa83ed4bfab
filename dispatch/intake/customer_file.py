"""The customer file at intake: what the agent sees before handling a new request (INT-5, INT-7).

Earlier requests, their visits (jobs) and vouchers, complaints and special notes, each list
bounded and region-scoped through the permission layer; a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.complaints.models import Complaint
from dispatch.complaints.records import SpecialNote
from dispatch.customers.models import Customer, Site
from dispatch.customers.service import get_customer
from dispatch.intake.models import ServiceRequest
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher

SHOWN = 50  # the latest records of each kind; older ones are reached through their lists


@dataclass
class CustomerFile:
    customer: Customer
    requests: list
    visits: list
    vouchers: list
    complaints: list
    special_notes: list


def customer_file(session: Session, actor: Actor, customer_id: int) -> CustomerFile:
    """Return a customer's history, newest first, limited to the actor's regions."""
    customer = get_customer(session, customer_id, actor=actor, purpose="customer file")
    in_regions = access.region_clause(actor, Site.region_id)
    requests = session.scalars(
        select(ServiceRequest)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(ServiceRequest.customer_id == customer.id, in_regions)
        .order_by(ServiceRequest.id.desc())
        .limit(SHOWN)
    ).all()
    request_ids = [r.id for r in requests]
    visits = session.scalars(
        select(Visit)
        .where(Visit.request_id.in_(request_ids))
        .order_by(Visit.id.desc())
        .limit(SHOWN)
    ).all()
    vouchers = session.scalars(
        select(ServiceVoucher)
        .where(ServiceVoucher.visit_id.in_([v.id for v in visits]))
        .order_by(ServiceVoucher.id.desc())
    ).all()
    complaints = session.scalars(
        select(Complaint)
        .where(
            Complaint.customer_id == customer.id,
            # A complaint not yet placed in a region is the caller's own history too.
            or_(Complaint.region_id.is_(None), access.region_clause(actor, Complaint.region_id)),
        )
        .order_by(Complaint.id.desc())
        .limit(SHOWN)
    ).all()
    notes = session.scalars(
        select(SpecialNote)
        .where(SpecialNote.customer_id == customer.id)
        .order_by(SpecialNote.id.desc())
        .limit(SHOWN)
    ).all()
    return CustomerFile(
        customer, list(requests), list(visits), list(vouchers), list(complaints), list(notes)
    )
