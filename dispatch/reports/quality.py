"""The product-quality export (RPT-8): per job what was needed, found, done and used, and the
most frequent fault types per product model."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch.customers.models import Asset, Site
from dispatch.intake.models import ServiceRequest
from dispatch.reports.query import Scope
from dispatch.visits.models import Visit, VisitFieldRecord
from dispatch.visits.rules import VisitStatus
from dispatch.vouchers.models import ServiceVoucher

JOB_COLUMNS = (
    "visit_id",
    "request",
    "visit",
    "model",
    "need",
    "problem",
    "cause",
    "solution",
    "parts",
    "status",
    "completed_at",
)
FAULT_COLUMNS = ("model", "fault_type", "jobs", "rank")
TOP_FAULTS = 5


def _model():
    return func.coalesce(Asset.model, ServiceRequest.product_model, "unknown")


def _fault_type():
    """The fault found, in one normal form: the voucher's problem, else the diagnosis."""
    text = func.coalesce(ServiceVoucher.problem, VisitFieldRecord.diagnosis, "unrecorded")
    return func.lower(func.trim(func.substr(text, 1, 80)))


def _visits(scope: Scope):
    return (
        select()
        .select_from(Visit)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .join(VisitFieldRecord, VisitFieldRecord.visit_id == Visit.id)
        .outerjoin(ServiceVoucher, ServiceVoucher.visit_id == Visit.id)
        .outerjoin(Asset, Asset.id == ServiceRequest.asset_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(Visit.status == VisitStatus.COMPLETED, scope.during(Visit.completed_at))
        .where(scope.regions(Site.region_id))
    )


def jobs(session: Session, scope: Scope, *, after: int = 0, limit: int = 5000) -> list[dict]:
    """Return one line per job (completed visit) of the period, keyset-paged by visit id."""
    statement = (
        _visits(scope)
        .where(Visit.id > after)
        .add_columns(
            Visit.id,
            ServiceRequest.number,
            Visit.number,
            _model(),
            ServiceRequest.fault_description,
            func.coalesce(ServiceVoucher.problem, VisitFieldRecord.diagnosis),
            VisitFieldRecord.diagnosis,
            func.coalesce(ServiceVoucher.solution, VisitFieldRecord.solution),
            ServiceVoucher.parts,
            ServiceRequest.status,
            Visit.completed_at,
        )
        .order_by(Visit.id)
        .limit(limit)
    )
    return [
        dict(zip(JOB_COLUMNS[:8], row[:8], strict=True))
        | {
            "parts": _parts(row[8]),
            "status": row[9],
            "completed_at": row[10].isoformat() if hasattr(row[10], "isoformat") else row[10],
        }
        for row in session.execute(statement)
    ]


def faults(session: Session, scope: Scope, *, top: int = TOP_FAULTS) -> list[dict]:
    """Return the `top` most frequent fault types per product model (window function)."""
    model, fault = _model().label("model"), _fault_type().label("fault_type")
    count = func.count(Visit.id)
    ranked = (
        _visits(scope)
        .add_columns(
            model,
            fault,
            count.label("jobs"),
            func.row_number()
            .over(partition_by=model, order_by=(count.desc(), fault))
            .label("rank"),
        )
        .group_by(model, fault)
        .subquery()
    )
    statement = select(ranked).where(ranked.c.rank <= top).order_by(ranked.c.model, ranked.c.rank)
    return [dict(row) for row in session.execute(statement).mappings()]


def _parts(parts: list | None) -> str:
    """Parts as `code x quantity` joined by semicolons (a flat cell for CSV and JSON alike)."""
    return "; ".join(
        f"{part.get('code', part.get('name', '?'))} x {part.get('quantity', 1)}"
        if isinstance(part, dict)
        else str(part)
        for part in parts or []
    )
