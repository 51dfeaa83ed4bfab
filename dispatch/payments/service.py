"""Estimates before class-A work and the settlement of its fee at completion."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.alerts.service import alert_role
from dispatch.clock import utcnow
from dispatch.errors import RuleViolation
from dispatch.payments import rules
from dispatch.payments.models import InvoiceTask
from dispatch.quotes.service import check_collectable
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher


def check_work_may_start(visit: Visit) -> None:
    """Refuse to start class-A work before the customer accepted the quote (VCH-3).

    Only accepting a quote (dispatch.quotes) records the accepted estimate of the visit."""
    if (
        visit.request.service_class == rules.CHARGED_CLASS
        and visit.field_record.estimate_accepted_at is None
    ):
        raise RuleViolation(
            "Record the customer's acceptance of the quote before starting paid work",
            error_code="quote_not_accepted",
            details={"quote": ["the customer has not accepted a quote for this visit"]},
        )


def settle(
    session: Session,
    *,
    actor: Actor,
    voucher: ServiceVoucher,
    cap_cents: int,
    collection_method: str | None,
    at: datetime,
) -> None:
    """Collect a class-A fee on site up to the cap, else hand it to finance (VCH-13, VCH-14)."""
    problem = rules.charge_problem(voucher.service_class, voucher.fee_cents)
    if problem:
        raise RuleViolation(problem, error_code="not_charged", details={"fee_cents": [problem]})
    if voucher.fee_cents and voucher.visit.field_record.estimate_accepted_at is None:
        # VCH-3: no charge without the estimate the customer accepted before the work.
        raise RuleViolation(
            "A fee needs the customer's accepted quote",
            error_code="quote_not_accepted",
            details={"fee_cents": ["no accepted quote for this visit"]},
        )
    if voucher.fee_cents:
        check_collectable(voucher.visit)  # VCH-15: off-table charges confirmed, none disputed
    voucher.settlement = rules.settlement(
        voucher.fee_cents, cap_cents, collected=collection_method is not None
    )
    if voucher.settlement is None:
        return
    if voucher.settlement == "collected":
        voucher.collected_cents, voucher.collection_method = voucher.fee_cents, collection_method
        voucher.collected_at = at
    # Collected: hand the money to finance and mail the invoice (补寄发票). Else finance invoices.
    kind = "mail_invoice" if voucher.settlement == "collected" else "invoice"
    task = InvoiceTask(
        voucher_id=voucher.id, amount_cents=voucher.fee_cents, kind=kind, created_at=utcnow()
    )
    audit.add_created(
        session,
        actor=actor,
        obj=task,
        action=f"payment.{voucher.settlement}",
        entity="invoice_task",
        after={"voucher": voucher.number, "cents": voucher.fee_cents, "method": collection_method},
    )
    site = voucher.visit.request.site
    alert_role(
        session,
        "manager",
        site.region_id if site else None,
        kind=f"finance_{kind}",
        message=f"Voucher {voucher.number}: {kind} ¥{voucher.fee_cents / 100:.2f}",
    )
