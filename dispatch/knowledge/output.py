"""What an entry looks like per reader and channel (KB-5, KB-12)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.errors import NotFound
from dispatch.knowledge import access, rules, service, usage
from dispatch.knowledge.models import KbEntry, KbVersion

ENTRY_COLUMNS = (
    "id",
    "number",
    "topic_id",
    "status",
    "content_type",
    "business_category",
    "product_category",
    "problem_type",
    "solution_method",
    "source_kind",
    "source_visit_id",
    "source_document",
    "visibility",
    "valid_until",
    "next_review_at",
    "author_id",
)


def staff_view(session: Session, actor: Actor, entry: KbEntry) -> dict:
    """Return the entry with its published text, and its pending text for those who may see it."""
    view = {name: getattr(entry, name) for name in ENTRY_COLUMNS}
    view["published"] = service.published_version(session, entry)
    pending = service.working_version(session, entry)
    view["pending"] = pending if pending and access.may_read_unpublished(actor, entry) else None
    return view


def read(session: Session, actor: Actor, entry_id: int) -> dict:
    """Load an entry for reading and count the view (KB-10)."""
    entry = service.get_entry(session, actor=actor, entry_id=entry_id)
    usage.log_view(session, actor=actor, entry=entry)
    return staff_view(session, actor, entry)


def briefs(session: Session, entries: list[KbEntry]) -> list[dict]:
    """Return list rows with their published titles, in one query for the titles."""
    ids = [e.published_version_id for e in entries if e.published_version_id]
    titles = (
        dict(
            session.execute(
                select(KbVersion.id, KbVersion.title).where(KbVersion.id.in_(ids))
            ).all()
        )
        if ids
        else {}
    )
    return [
        {
            "id": e.id,
            "number": e.number,
            "title": titles.get(e.published_version_id, ""),
            "content_type": e.content_type,
            "problem_type": e.problem_type,
            "visibility": e.visibility,
            "status": e.status,
            "next_review_at": e.next_review_at,
        }
        for e in entries
    ]


def _shown(session: Session, actor: Actor, entry_id: int) -> tuple[KbEntry, KbVersion]:
    entry = session.scalar(select(KbEntry).where(KbEntry.id == entry_id, access.visible(actor)))
    if entry is None:
        raise NotFound("No such knowledge entry", details={"entry_id": entry_id})
    return entry, session.get(KbVersion, entry.published_version_id)


def sms(session: Session, actor: Actor, entry_id: int) -> str:
    """Return a published entry as a plain-text SMS (KB-12)."""
    entry, text = _shown(session, actor, entry_id)
    return rules.sms_text(number=entry.number, title=text.title, steps=text.solution_steps)


def for_customer(session: Session, customer: Actor, entry_id: int) -> dict:
    """Return what a customer's link page shows: customer-visible entries only (KB-12)."""
    entry, text = _shown(session, customer, entry_id)
    usage.log_view(session, actor=customer, entry=entry)
    return {
        "number": entry.number,
        "title": rules.plain(text.title),
        "problem": rules.plain(text.problem),
        "steps": [rules.plain(step) for step in text.solution_steps],
        "images": [m["url"] for m in text.media if m.get("kind") == "image"],
    }
