"""Finance's work arising from a voucher: one invoice task per voucher."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class InvoiceTask(Base):
    __tablename__ = "invoice_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("service_vouchers.id"), unique=True)
    amount_cents: Mapped[int]
    # invoice: finance invoices and collects; mail_invoice: collected on site, invoice to mail
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
