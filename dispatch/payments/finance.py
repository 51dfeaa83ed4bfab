"""Finance's desk (ROL-3): money collected on site to hand over and receive, and the invoices
that close each voucher's task (VCH-14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dispatch import access
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.errors import NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.payments.models import InvoiceTask
from dispatch.payments.rules import TO_HAND_OVER, InvoiceTaskKind
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher

T = InvoiceTask
TASK_SORTS = {
    "created_at": order((T.created_at, False), (T.id, False)),
    "-created_at": order((T.created_at, True), (T.id, True)),
}


def _region_scoped(actor: Actor):
    """Invoice tasks joined to their job's site, limited to the actor's regions."""
    return (
        select(InvoiceTask)
        .join(ServiceVoucher, ServiceVoucher.id == T.voucher_id)
        .join(Visit, Visit.id == ServiceVoucher.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(access.site_clause(actor, ServiceRequest.site_id))
    )


def list_tasks(
    *,
    session: Session,
    actor: Actor,
    to_hand_over: bool = False,
    status: str | None = None,
    kind: str | None = None,
    sort: str = "created_at",
    limit: int = 50,
    after: str | None = None,
) -> Page:
    """List finance's tasks; `to_hand_over`: money collected on site not yet received."""
    query = _region_scoped(actor).options(joinedload(T.voucher))
    if to_hand_over:
        query = query.where(T.kind == InvoiceTaskKind.MAIL_INVOICE, T.status.in_(TO_HAND_OVER))
    if status is not None:
        query = query.where(T.status == status)
    if kind is not None:
        query = query.where(T.kind == kind)
    return paginate(session, query, sorts=TASK_SORTS, sort=sort, limit=limit, after=after)


def get_task(session: Session, actor: Actor, task_id: int) -> InvoiceTask:
    """Load a task of a job in the actor's regions, locked for the change (else 404)."""
    task = session.scalars(
        _region_scoped(actor).where(T.id == task_id).with_for_update(of=T)
    ).one_or_none()
    if task is None:
        raise NotFound(f"Invoice task {task_id} not found")
    return task


def hand_over(*, session: Session, actor: Actor, task_id: int) -> InvoiceTask:
    """Mark the money collected on site as handed to finance."""
    task = get_task(session, actor, task_id)
    with audited(session, actor, task, "payment.handed_over"):
        task.hand_over(at=utcnow())
    return task


def receive(*, session: Session, actor: Actor, task_id: int) -> InvoiceTask:
    """Mark the handed-over money as received (counted and booked) by finance."""
    task = get_task(session, actor, task_id)
    with audited(session, actor, task, "payment.received"):
        task.receive(at=utcnow(), by_user_id=actor.id)
    return task


def record_invoice(
    *,
    session: Session,
    actor: Actor,
    task_id: int,
    number: str,
    amount_cents: int,
    mailed_at: datetime | None = None,
) -> InvoiceTask:
    """Record the invoice finance issued from the voucher; it closes the task (VCH-14)."""
    task = get_task(session, actor, task_id)
    if amount_cents != task.amount_cents:
        raise RuleViolation(
            "The invoice must be for the voucher's fee",
            error_code="invoice_amount_mismatch",
            details={"amount_cents": [f"the voucher's fee is {task.amount_cents}"]},
        )
    with audited(session, actor, task, "invoice.recorded"):
        task.record_invoice(number=number, cents=amount_cents, mailed_at=mailed_at, at=utcnow())
    return task
