"""Gather opinions (follow-up remarks, link suggestions), route them, and answer them.

An opinion lies in the region of its visit's request (dispatch.access): staff read and act on
those of their regions only; one outside answers 404.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dispatch import access
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import add_created, audited
from dispatch.clock import utcnow
from dispatch.customers.models import Site
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.service import queue_sms
from dispatch.opinions import rules
from dispatch.opinions.models import Opinion, OpinionReply
from dispatch.opinions.rules import OpinionSource
from dispatch.visits.models import Visit

OPINION_SORTS = {
    "-id": order((Opinion.id, True)),
    "id": order((Opinion.id, False)),
}


def route_followup_remark(session: Session, *, actor: Actor, followup) -> Opinion | None:
    """Route the free-text remark of a follow-up answer to its department, once (FUP-8)."""
    text = rules.remark_of(followup.comment)
    if text is None:
        return None
    category = rules.category_of_survey(followup.reasons)
    return _create(
        session,
        actor,
        source=OpinionSource.FOLLOWUP,
        followup_id=followup.id,
        visit=followup.visit,
        category=category,
        text=text,
    )


def submit_from_link(
    session: Session, *, actor: Actor, link, category: str, text: str, client_key: str | None
) -> tuple[Opinion, bool]:
    """Take a customer's opinion sent from a link; return (opinion, created). A retry with the
    same key returns the first opinion (FUP-11)."""
    if client_key:
        earlier = session.scalars(
            select(Opinion).where(
                Opinion.customer_id == link.customer_id, Opinion.client_key == client_key
            )
        ).first()
        if earlier is not None:
            if (earlier.category, earlier.text) != (category, text.strip()):
                raise RuleViolation(
                    "This Idempotency-Key was used for a different opinion",
                    error_code="idempotency_key_reused",
                    details={"Idempotency-Key": ["used with another opinion"]},
                )
            return earlier, False
    opinion = _create(
        session,
        actor,
        source=OpinionSource.LINK,
        visit=link.visit,
        category=category,
        text=text.strip(),
        client_key=client_key,
    )
    return opinion, True


def _create(session: Session, actor: Actor, *, visit: Visit, category, **fields) -> Opinion:
    department = rules.department_for(category)
    opinion = Opinion(
        visit_id=visit.id,
        customer_id=visit.request.customer_id,
        category=category,
        department=department,
        **fields,
    )
    after = {"source": str(fields["source"]), "category": str(category), "department": department}
    return add_created(
        session, actor=actor, obj=opinion, action="opinion.routed", entity="opinion", after=after
    )


def _visible(actor: Actor):
    return (
        select(Opinion)
        .join(Visit, Visit.id == Opinion.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(access.region_clause(actor, Site.region_id))
    )


def list_opinions(
    session: Session,
    actor: Actor,
    *,
    sort: str = "-id",
    limit: int = 50,
    after: str | None = None,
    department: str | None = None,
    status: str | None = None,
    source: str | None = None,
    category: str | None = None,
    customer_id: int | None = None,
) -> Page:
    """One page of a department's inbox (or every opinion) of the actor's regions."""
    query = _visible(actor).options(selectinload(Opinion.replies))
    for column, value in (
        (Opinion.department, department),
        (Opinion.status, status),
        (Opinion.source, source),
        (Opinion.category, category),
        (Opinion.customer_id, customer_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return paginate(session, query, sorts=OPINION_SORTS, sort=sort, limit=limit, after=after)


def get_opinion(session: Session, opinion_id: int, *, actor: Actor, lock: bool = False) -> Opinion:
    """Load an opinion of a region the actor may see, or raise NotFound."""
    opinion = session.get(Opinion, opinion_id, with_for_update=lock)
    if opinion is None:
        raise NotFound(f"Opinion {opinion_id} not found")
    try:
        access.ensure_visit(actor, opinion.visit)
    except NotFound:
        raise NotFound(f"Opinion {opinion_id} not found") from None
    return opinion


def acknowledge(session: Session, *, actor: Actor, opinion_id: int) -> Opinion:
    """Take an opinion of the inbox: the acting staff member becomes its owner."""
    opinion = get_opinion(session, opinion_id, actor=actor, lock=True)
    with audited(session, actor, opinion, "opinion.acknowledged"):
        opinion.acknowledge(owner_id=actor.id, at=utcnow())
    return opinion


def close(session: Session, *, actor: Actor, opinion_id: int, note: str | None = None) -> Opinion:
    """Close an opinion once handled; a closed opinion takes no more replies."""
    opinion = get_opinion(session, opinion_id, actor=actor, lock=True)
    with audited(session, actor, opinion, "opinion.closed"):
        opinion.close(at=utcnow(), note=note, by_id=actor.id)
    return opinion


def reply(session: Session, *, actor: Actor, opinion_id: int, text: str) -> OpinionReply:
    """Store a reply and send it to the customer by SMS (outbox); it shows on their pages."""
    opinion = get_opinion(session, opinion_id, actor=actor, lock=True)
    with audited(session, actor, opinion, "opinion.replied"):
        opinion.take_for_reply(owner_id=actor.id, at=utcnow())
        visit = opinion.visit
        message = queue_sms(
            session,
            customer=visit.request.customer,
            template="opinion_reply",
            visit_id=visit.id,
            number=visit.number,
            reply=text,
        )
        answer = OpinionReply(opinion=opinion, author_id=actor.id, text=text, sms_id=message.id)
        session.add(answer)
    return answer


def of_customer(session: Session, customer_id: int, *, limit: int = 10) -> list[Opinion]:
    """The customer's newest opinions with their replies, for their link pages."""
    return list(
        session.scalars(
            select(Opinion)
            .where(Opinion.customer_id == customer_id)
            .options(selectinload(Opinion.replies))
            .order_by(Opinion.id.desc())
            .limit(limit)
        )
    )
