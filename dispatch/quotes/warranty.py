"""The warranty and repair rules (商品保修及维修规定) that apply to a job, kept as a published
knowledge entry of type service_policy for the product's category or model (VCH-4)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.intake.models import ServiceRequest
from dispatch.knowledge.models import KbEntry, KbVersion
from dispatch.knowledge.rules import ContentType, EntryStatus


def rules_entry(session: Session, request: ServiceRequest) -> dict | None:
    """Return the published rules entry of the job's product (its model before its category)."""
    rows = session.execute(
        select(KbEntry.id, KbEntry.number, KbVersion.title, KbVersion.product_models)
        .join(KbVersion, KbVersion.id == KbEntry.published_version_id)
        .where(
            KbEntry.status == EntryStatus.PUBLISHED,
            KbEntry.content_type == ContentType.SERVICE_POLICY,
            KbEntry.product_category == request.category,
        )
        .order_by(KbEntry.id.desc())
        .limit(20)
    ).all()
    model = (request.product_model or "").strip().lower()
    by_model = [r for r in rows if model and model in {m.lower() for m in r.product_models or ()}]
    chosen = (by_model or rows or [None])[0]
    if chosen is None:
        return None
    return {"entry_id": chosen.id, "number": chosen.number, "title": chosen.title}
