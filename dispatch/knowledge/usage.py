"""Use of the knowledge base: views, feedback, "did not solve it" flags and the administrator's
queue (KB-9, KB-10), review lists and coverage reports (KB-11, KB-14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.knowledge import access, rules
from dispatch.knowledge.models import KbEntry, KbFeedback, KbQueueItem, KbTerm, KbUsageEvent
from dispatch.knowledge.rules import EntryStatus
from dispatch.knowledge.service import get_entry
from dispatch.visits.models import Visit
from dispatch.visits.rules import VisitStatus
from dispatch.vouchers.models import ServiceVoucher


def _user_id(actor: Actor) -> int | None:
    return actor.id if actor.kind == "user" else None


def log_view(session: Session, *, actor: Actor, entry: KbEntry) -> None:
    """Count one reading of an entry (KB-10)."""
    session.add(KbUsageEvent(kind="view", entry_id=entry.id, user_id=_user_id(actor)))


def give_feedback(
    session: Session, *, actor: Actor, entry_id: int, helpful: bool | None, comment: str | None
) -> KbFeedback:
    """Record helpful or not and an optional comment (KB-10)."""
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    if helpful is None and not (comment or "").strip():
        raise RuleViolation("Say whether it helped, or comment", details={"helpful": ["missing"]})
    feedback = KbFeedback(entry_id=entry.id, user_id=actor.id, helpful=helpful, comment=comment)
    session.add(feedback)
    session.add(KbUsageEvent(kind="feedback", entry_id=entry.id, user_id=actor.id))
    session.flush()
    return feedback


def flag_not_solved(
    session: Session, *, actor: Actor, entry_id: int, visit_id: int, note: str = ""
) -> KbQueueItem:
    """A technician says an entry used on their visit did not solve it: queue it (KB-9)."""
    from dispatch.visits.service import get_for_technician

    visit = get_for_technician(session, actor, visit_id)  # their own visit, or 403/404
    entry = get_entry(session, actor=actor, entry_id=entry_id)
    item = KbQueueItem(entry_id=entry.id, visit_id=visit.id, raised_by_id=actor.id, note=note)
    audit.add_created(
        session,
        actor=actor,
        obj=item,
        action="kb_queue_item.created",
        entity="kb_queue_item",
        after=item.snapshot(),
    )
    session.add(KbUsageEvent(kind="flag", entry_id=entry.id, user_id=actor.id))
    return item


def queue(session: Session, *, actor: Actor, after: int = 0, limit: int = 50) -> list:
    """List open queue items, oldest first, keyset by id (KB-9)."""
    access.require(actor, access.ADMINISTRATORS, "read the knowledge queue")
    return session.scalars(
        select(KbQueueItem)
        .where(KbQueueItem.open.is_(True), KbQueueItem.id > after)
        .order_by(KbQueueItem.id)
        .limit(limit)
    ).all()


def close_item(session: Session, *, actor: Actor, item_id: int) -> KbQueueItem:
    """Close a queue item once handled."""
    access.require(actor, access.ADMINISTRATORS, "handle the knowledge queue")
    item = session.get(KbQueueItem, item_id)
    if item is None:
        raise NotFound("No such queue item", details={"item_id": item_id})
    with audit.audited(session, actor, item, "kb_queue_item.closed"):
        item.open = False
    return item


def review_due(session: Session, *, actor: Actor, after: int = 0, limit: int = 50) -> list:
    """List entries past their review date or expired, keyset by id (KB-11)."""
    access.require(actor, access.ADMINISTRATORS, "read the review list")
    now = utcnow()
    return session.scalars(
        select(KbEntry)
        .where(
            KbEntry.id > after,
            or_(
                KbEntry.status == EntryStatus.EXPIRED,
                (KbEntry.status == EntryStatus.PUBLISHED)
                & or_(KbEntry.next_review_at <= now, KbEntry.valid_until <= now),
            ),
        )
        .order_by(KbEntry.id)
        .limit(limit)
    ).all()


def usage_report(session: Session, *, actor: Actor, start: datetime, end: datetime) -> dict:
    """Count views, searches (and zero-result ones), feedback and flags in a period (KB-10)."""
    access.require(actor, access.REPORT_READERS, "read the usage report")
    period = (KbUsageEvent.at >= start) & (KbUsageEvent.at < end)
    counts = dict(
        session.execute(
            select(KbUsageEvent.kind, func.count()).where(period).group_by("kind")
        ).all()
    )
    zero = session.execute(
        select(KbUsageEvent.query, func.count().label("n"))
        .where(period, KbUsageEvent.kind == "search", KbUsageEvent.result_count == 0)
        .group_by(KbUsageEvent.query)
        .order_by(func.count().desc(), KbUsageEvent.query)
        .limit(20)
    ).all()
    feedback = session.execute(
        select(
            func.count(case((KbFeedback.helpful.is_(True), 1))),
            func.count(case((KbFeedback.helpful.is_(False), 1))),
        ).where(KbFeedback.created_at >= start, KbFeedback.created_at < end)
    ).one()
    return {
        "views": counts.get("view", 0),
        "searches": counts.get("search", 0),
        "zero_result_searches": sum(n for _q, n in zero),
        "flags": counts.get("flag", 0),
        "helpful": feedback[0],
        "not_helpful": feedback[1],
        "top_zero_result_queries": [{"query": q, "count": n} for q, n in zero],
    }


def models_without_entries(session: Session, *, actor: Actor) -> list[str]:
    """List product models of service requests that no published entry covers (KB-14)."""
    access.require(actor, access.REPORT_READERS, "read knowledge reports")
    covered = (
        select(KbTerm.term)
        .join(KbEntry, KbEntry.id == KbTerm.entry_id)
        .where(KbTerm.term.like("model:%"), access.live())
    )
    covered_models = {term.removeprefix("model:") for term in session.scalars(covered)}
    requested = session.scalars(
        select(ServiceRequest.product_model)
        .where(ServiceRequest.product_model.is_not(None))
        .distinct()
    )
    return sorted({m for m in requested if rules.normalise(m).strip() not in covered_models})


def draft_from_visit(session: Session, *, actor: Actor, visit_id: int, topic_id: int, **fields):
    """Turn the technician's completed visit into a draft: its problem and complete solution,
    linked to the visit (KB-8)."""
    from dispatch.knowledge.service import create_entry
    from dispatch.visits.service import get_for_technician

    visit: Visit = get_for_technician(session, actor, visit_id)
    if visit.status != VisitStatus.COMPLETED:
        raise RuleViolation(
            "Only a completed visit becomes a knowledge draft", error_code="visit_not_completed"
        )
    request = session.get(ServiceRequest, visit.request_id)
    record = session.scalar(select(ServiceVoucher).where(ServiceVoucher.visit_id == visit.id))
    steps = rules.solution_from_record(
        work_done=record.work_done or visit.field_record.work_done,
        solution=record.solution or visit.field_record.solution,
        result=record.result,
        parts=record.parts,
    )
    text = {
        "title": fields.pop("title", None)
        or f"{request.product_model or ''} {request.fault_description}"[:200].strip(),
        "problem": request.fault_description,
        "cause": record.problem or visit.field_record.diagnosis or "",
        "solution_steps": steps,
        "product_models": [request.product_model] if request.product_model else [],
        "tags": fields.pop("tags", []),
    }
    return create_entry(
        session,
        actor=actor,
        text=text,
        topic_id=topic_id,
        source_kind="visit",
        source_visit_id=visit.id,
        content_type="solved_case",
        business_category=request.category,
        product_category=request.category,
        problem_type=fields.pop("problem_type", "fault"),
        solution_method="repair",
        visibility="internal",
        **fields,
    )


def hints_for_visit(session: Session, *, actor: Actor, visit_id: int, cut, limit: int = 3):
    """Return the top entries for a visit's product model and fault (KB-4: pre-filled search),
    as brief rows; the route's visits carry the same hints (`dispatch.knowledge.hints`)."""
    from dispatch.knowledge.hints import hints_for_visits
    from dispatch.visits.service import get_for_technician

    visit = get_for_technician(session, actor, visit_id)
    found = hints_for_visits(session, actor=actor, visit_ids=[visit.id], cut=cut, limit=limit)
    return found[visit.id]


def suggestions(session: Session, *, actor: Actor, cut, fault: str, model=None, limit: int = 5):
    """Return entries for a fault, those for the product model first; not logged as searches."""
    from dispatch.knowledge.search import search

    found = []
    if model:
        found = search(session, actor=actor, cut=cut, q=fault, model=model, limit=limit, log=False)
    if len(found) < limit:
        more = search(session, actor=actor, cut=cut, q=fault, limit=limit, log=False)
        found += [e for e in more if e not in found][: limit - len(found)]
    return found
