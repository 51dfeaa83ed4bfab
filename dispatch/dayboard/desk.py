"""What the dispatcher's desk reads besides the day: a caller's history and the complaints queue.

Both are region-scoped through dispatch.access and read in a fixed number of queries per call.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dispatch.access import region_clause
from dispatch.actors import Actor
from dispatch.complaints.casework import notes_of_customer
from dispatch.complaints.models import Complaint
from dispatch.complaints.rules import ComplaintStatus
from dispatch.config import Config
from dispatch.customers import service as customers
from dispatch.customers.models import Site
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.models import SmsMessage
from dispatch.users.models import User
from dispatch.visits.models import Visit

HISTORY_SHOWN = 50
QUEUE_SHOWN = 200
QUEUE_FIELDS = (
    "id",
    "number",
    "status",
    "nature",
    "severity",
    "priority",
    "escalation_level",
    "received_at",
    "description",
)


def caller(session: Session, *, actor: Actor, config: Config, phone: str) -> list[dict]:
    """Return each customer under a phone number with earlier requests and their visits,
    complaints, special notes and the SMS sent (INT-5, CMP-20)."""
    found = customers.find_by_phone(
        session=session, actor=actor, phone=phone, phone_region=config.default_phone_region
    )
    ids = [c.id for c in found]
    requests = session.scalars(
        select(ServiceRequest)
        .outerjoin(Site, ServiceRequest.site_id == Site.id)
        .where(ServiceRequest.customer_id.in_(ids), region_clause(actor, Site.region_id))
        .options(selectinload(ServiceRequest.visits).selectinload(Visit.technician))
        .order_by(ServiceRequest.id.desc())
        .limit(HISTORY_SHOWN * max(len(ids), 1))
    ).all()
    complaints = session.scalars(
        select(Complaint)
        .where(
            Complaint.customer_id.in_(ids),
            # A complaint about no job has no region; the caller's own file shows it anyway.
            or_(Complaint.region_id.is_(None), region_clause(actor, Complaint.region_id)),
        )
        .order_by(Complaint.id.desc())
        .limit(HISTORY_SHOWN * max(len(ids), 1))
    ).all()
    visit_ids = [v.id for r in requests for v in r.visits]
    messages: dict[int, list[SmsMessage]] = {}
    for sms in session.scalars(
        select(SmsMessage).where(SmsMessage.visit_id.in_(visit_ids)).order_by(SmsMessage.id)
    ):
        messages.setdefault(sms.visit_id, []).append(sms)
    return [
        {
            "id": c.id,
            "name": c.name,
            "phone": c.phone,
            "tier": c.tier,
            "notes": c.notes,
            "sites": c.sites,
            "special_notes": notes_of_customer(session, c.id, actor=actor),
            "requests": [_request(r, messages) for r in requests if r.customer_id == c.id],
            "complaints": [k for k in complaints if k.customer_id == c.id],
        }
        for c in found
    ]


def _request(request: ServiceRequest, messages: dict) -> dict:
    return {
        "id": request.id,
        "number": request.number,
        "request_type": request.request_type,
        "status": request.status,
        "registered_at": request.registered_at,
        "product_model": request.product_model,
        "fault_description": request.fault_description,
        "visits": [
            {
                "id": v.id,
                "number": v.number,
                "status": v.status,
                "window_start": v.window_start,
                "window_end": v.window_end,
                "technician": v.technician.name if v.technician else None,
                "messages": messages.get(v.id, []),
            }
            for v in request.visits
        ],
    }


def complaint_queue(session: Session, *, actor: Actor) -> list[dict]:
    """Return the open complaints the actor may see, soonest clock first, with their owners."""
    rows = session.execute(
        select(Complaint, User)
        .join(User, Complaint.owner_id == User.id)
        .where(
            Complaint.status != ComplaintStatus.CLOSED,
            region_clause(actor, Complaint.region_id),
        )
        .options(selectinload(Complaint.clocks))
        .order_by(Complaint.id.desc())
        .limit(QUEUE_SHOWN)
    ).all()
    queue = []
    for complaint, owner in rows:
        running = [c for c in complaint.clocks if c.met_at is None]
        queue.append(
            {
                **{name: getattr(complaint, name) for name in QUEUE_FIELDS},
                "owner": {"id": owner.id, "name": owner.full_name, "role": owner.role},
                "clocks": sorted(complaint.clocks, key=lambda c: c.due_at),
                "next_due": min((c.due_at for c in running), default=None),
            }
        )
    far = max((q["next_due"] for q in queue if q["next_due"]), default=None)
    return sorted(queue, key=lambda q: (q["next_due"] or far, q["id"]))
