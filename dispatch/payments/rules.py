"""Pure fee rules of class-A work."""

from __future__ import annotations

from enum import StrEnum

from dispatch.lifecycle import Lifecycle

CHARGED_CLASS = "A"
COLLECTION_METHODS = ("cash", "wechat", "alipay", "card")


def charge_problem(service_class: str, fee_cents: int) -> str | None:
    """Return why a fee is not allowed for this service class, or None (VCH-13)."""
    if fee_cents and service_class != CHARGED_CLASS:
        return f"class {service_class} work is free of charge"
    return None


def settlement(fee_cents: int, cap_cents: int, collected: bool) -> str | None:
    """Return how a class-A fee is settled: collected on site up to the cap, else invoiced."""
    if fee_cents <= 0:
        return None
    if collected and fee_cents <= cap_cents:
        return "collected"
    return "invoice"


class InvoiceTaskKind(StrEnum):
    INVOICE = "invoice"  # above the cap: finance invoices from the voucher and collects
    MAIL_INVOICE = "mail_invoice"  # collected on site: hand the money over, mail the invoice


class InvoiceTaskStatus(StrEnum):
    OPEN = "open"
    HANDED_OVER = "handed_over"  # the technician handed the cash to finance
    RECEIVED = "received"  # finance counted and booked it
    CLOSED = "closed"  # the invoice is recorded (and mailed): nothing left to do


T = InvoiceTaskStatus
# ROL-3, VCH-14: collected money goes open → handed over → received → closed by its invoice;
# an invoice task above the cap closes when finance records the invoice it sent.
INVOICE_TASK_LIFECYCLE = Lifecycle(
    "invoice task",
    {T.OPEN: {T.HANDED_OVER, T.CLOSED}, T.HANDED_OVER: {T.RECEIVED}, T.RECEIVED: {T.CLOSED}},
)
TO_HAND_OVER = (T.OPEN, T.HANDED_OVER)  # "to hand to Finance": collected, not yet received


def invoice_problem(kind: str, status: str) -> str | None:
    """Return why an invoice cannot be recorded for the task now, or None."""
    if kind == InvoiceTaskKind.MAIL_INVOICE and status != T.RECEIVED:
        return "the money collected on site has not been received by finance yet"
    if kind == InvoiceTaskKind.INVOICE and status != T.OPEN:
        return "the task is closed"
    return None
