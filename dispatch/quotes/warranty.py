"""The warranty and repair rules (商品保修及维修规定) that apply to a job, kept as a published
knowledge entry of type service_policy for the product's category or model (VCH-4)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.intake.models import ServiceRequest
from dispatch.knowledge.models import KbEntry, KbVersion
from dispatch.knowledge.rules import ContentType, EntryStatus


def rules_entry(session: Session, request: ServiceRequest, repair_method: str) -> dict | None:
    """Return the published rules entry of the job's product category, preferring the entry of
    the product's model, then of the chosen repair method (its solution method)."""
    rows = session.execute(
        select(
            KbEntry.id,
            KbEntry.number,
            KbEntry.solution_method,
            KbVersion.title,
            KbVersion.product_models,
        )
        .join(KbVersion, KbVersion.id == KbEntry.published_version_id)
        .where(
            KbEntry.status == EntryStatus.PUBLISHED,
            KbEntry.content_type == ContentType.SERVICE_POLICY,
            KbEntry.product_category == request.category,
        )
        .order_by(KbEntry.id.desc())
        .limit(20)
    ).all()
    if not rows:
        return None
    model = (request.product_model or "").strip().lower()

    def fit(row) -> tuple[bool, bool]:
        models = {m.lower() for m in row.product_models or ()}
        return (bool(model) and model in models, row.solution_method == repair_method)

    chosen = max(rows, key=fit)  # ties keep the newest entry (rows come newest first)
    return {"entry_id": chosen.id, "number": chosen.number, "title": chosen.title}
