"""Finance's work arising from a voucher: one invoice task per voucher (VCH-14, ROL-3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.payments.rules import (
    INVOICE_TASK_LIFECYCLE,
    InvoiceTaskKind,
    InvoiceTaskStatus,
    invoice_problem,
)
from dispatch.vouchers.models import ServiceVoucher


class InvoiceTask(Base):
    __tablename__ = "invoice_tasks"
    audit_entity = "invoice_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("service_vouchers.id"), unique=True)
    amount_cents: Mapped[int]
    # invoice: finance invoices and collects; mail_invoice: collected on site, invoice to mail
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=InvoiceTaskStatus.OPEN, index=True)
    created_at: Mapped[datetime]
    handed_over_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invoice_number: Mapped[str | None] = mapped_column(String(64))
    invoice_cents: Mapped[int | None]
    invoice_mailed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    voucher: Mapped[ServiceVoucher] = relationship()

    def hand_over(self, *, at: datetime) -> None:
        """The collected money reached finance's desk."""
        if self.kind != InvoiceTaskKind.MAIL_INVOICE:
            raise InvalidTransition(
                "Nothing was collected on site: finance invoices and collects this fee",
                error_code="nothing_collected",
                details={"kind": self.kind},
            )
        self._move(InvoiceTaskStatus.HANDED_OVER)
        self.handed_over_at = at

    def receive(self, *, at: datetime, by_user_id: int | None) -> None:
        """Finance counted and booked the money."""
        self._move(InvoiceTaskStatus.RECEIVED)
        self.received_at, self.received_by_id = at, by_user_id

    def record_invoice(self, *, number: str, cents: int, mailed_at, at: datetime) -> None:
        """Finance issued (and mailed) the invoice: the task is done."""
        problem = invoice_problem(self.kind, self.status)
        if problem:
            raise InvalidTransition(
                f"No invoice yet: {problem}",
                error_code="invoice_not_due",
                details={"status": self.status, "kind": self.kind},
            )
        self._move(InvoiceTaskStatus.CLOSED)
        self.invoice_number, self.invoice_cents = number, cents
        self.invoice_mailed_at, self.closed_at = mailed_at, at

    def _move(self, to: InvoiceTaskStatus) -> None:
        INVOICE_TASK_LIFECYCLE.check(self.status, to)
        self.status = to

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "kind": self.kind,
            "amount_cents": self.amount_cents,
            "invoice_number": self.invoice_number,
        }
