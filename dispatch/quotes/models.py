"""The fee table, a visit's quote and its charges (owner: dispatch.quotes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.quotes.rules import (
    CHARGE_LIFECYCLE,
    QUOTE_LIFECYCLE,
    ChargeStatus,
    QuoteStatus,
)
from dispatch.visits.models import Visit


class FeeItem(Base):
    """One price of the configured fee table, for a region or (region None) for all.

    Prices are versioned: a new row with a later valid_from replaces the code's price from then
    on; quotes keep the price they were made with.
    """

    __tablename__ = "fee_items"
    __table_args__ = (UniqueConstraint("region_id", "code", "valid_from"),)
    audit_entity = "fee_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    price_cents: Mapped[int]
    unit: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def snapshot(self) -> dict:
        return {
            "code": self.code,
            "region_id": self.region_id,
            "price_cents": self.price_cents,
            "unit": self.unit,
            "valid_from": self.valid_from.isoformat(),
        }


class Quote(Base):
    """What the technician found and what the work will cost, before class-A work (VCH-3)."""

    __tablename__ = "visit_quotes"
    audit_entity = "quote"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    findings: Mapped[str] = mapped_column(Text)
    fault_cause: Mapped[str] = mapped_column(String(24))
    repair_method: Mapped[str] = mapped_column(String(24))
    warranty_status: Mapped[str] = mapped_column(String(24))
    warranty_basis: Mapped[str] = mapped_column(String(500))
    minutes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=QuoteStatus.DRAFT)
    accepted_at: Mapped[datetime | None]
    accepted_via: Mapped[str | None] = mapped_column(String(8))
    signature_sha256: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    visit: Mapped[Visit] = relationship(backref=backref("quote", uselist=False))
    charges: Mapped[list[Charge]] = relationship(
        back_populates="quote", order_by="Charge.id", cascade="all, delete-orphan"
    )

    def __init__(self, **values):
        super().__init__(status=QuoteStatus.DRAFT, **values)

    @property
    def id(self) -> int:
        return self.visit_id

    @property
    def accepted(self) -> bool:
        return self.status == QuoteStatus.ACCEPTED

    @property
    def total_cents(self) -> int:
        return sum(c.amount_cents for c in self.charges)

    def accept(self, *, at: datetime, via: str, signature_sha256: str | None) -> None:
        """The customer accepts: the charges it lists outside the fee table are confirmed."""
        QUOTE_LIFECYCLE.check(self.status, QuoteStatus.ACCEPTED)
        self.status = QuoteStatus.ACCEPTED
        self.accepted_at, self.accepted_via = at, via
        self.signature_sha256 = signature_sha256
        for charge in self.charges:
            if charge.status == ChargeStatus.PENDING:
                charge.confirm(at=at, via=via)

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "fault_cause": self.fault_cause,
            "warranty_status": self.warranty_status,
            "total_cents": self.total_cents,
            "charges": len(self.charges),
        }


class Charge(Base):
    """One line of a quote: from the fee table (code, price) or outside it (VCH-15)."""

    __tablename__ = "quote_charges"
    audit_entity = "charge"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit_quotes.visit_id"), index=True)
    fee_item_id: Mapped[int | None] = mapped_column(ForeignKey("fee_items.id"))
    code: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16))
    unit_price_cents: Mapped[int]
    quantity: Mapped[int]
    off_table: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(500))  # why a price outside the table
    status: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirmed_via: Mapped[str | None] = mapped_column(String(8))
    disputed_at: Mapped[datetime | None]
    dispute_reason: Mapped[str | None] = mapped_column(String(1000))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))

    quote: Mapped[Quote] = relationship(back_populates="charges")

    @property
    def amount_cents(self) -> int:
        return self.unit_price_cents * self.quantity

    def confirm(self, *, at: datetime, via: str) -> None:
        """Record the customer's confirmation of a charge outside the fee table (VCH-15)."""
        CHARGE_LIFECYCLE.check(self.status, ChargeStatus.AGREED)
        self.status = ChargeStatus.AGREED
        self.confirmed_at, self.confirmed_via = at, via

    def dispute(self, *, at: datetime, reason: str) -> None:
        CHARGE_LIFECYCLE.check(self.status, ChargeStatus.DISPUTED)
        self.status = ChargeStatus.DISPUTED
        self.disputed_at, self.dispute_reason = at, reason

    def snapshot(self) -> dict:
        return {
            "status": self.status,
            "code": self.code,
            "amount_cents": self.amount_cents,
            "off_table": self.off_table,
            "complaint_id": self.complaint_id,
        }
