"""Service vouchers (服务凭证) and the signatures bound to their content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from dispatch.db import Base
from dispatch.visits.models import Visit
from dispatch.vouchers import rules


class ServiceVoucher(Base):
    __tablename__ = "service_vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)
    service_class: Mapped[str] = mapped_column(String(1))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    service_content: Mapped[str] = mapped_column(Text)
    parts: Mapped[list] = mapped_column(default=list)
    labour_minutes: Mapped[int] = mapped_column(default=0)
    fee_cents: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="issued")
    issued_at: Mapped[datetime]
    # Why the customer did not sign on site (VCH-8); the manager is flagged and the customer
    # can still sign later.
    unsigned_reason: Mapped[str | None] = mapped_column(String(32))
    unsigned_note: Mapped[str | None] = mapped_column(String(500))
    archived_at: Mapped[datetime | None]
    # Class A (VCH-14): how the fee is settled; collected on site goes to finance by hand.
    settlement: Mapped[str | None] = mapped_column(String(16))  # collected | invoice
    collected_cents: Mapped[int | None]
    collection_method: Mapped[str | None] = mapped_column(String(16))
    collected_at: Mapped[datetime | None]

    visit: Mapped[Visit] = relationship(backref=backref("voucher", uselist=False))
    signatures: Mapped[list[VoucherSignature]] = relationship(
        back_populates="voucher", order_by="VoucherSignature.id"
    )

    amendments: Mapped[list[VoucherAmendment]] = relationship(
        back_populates="voucher", order_by="VoucherAmendment.id"
    )

    @property
    def archived(self) -> bool:
        return self.status == "archived"

    def content(self) -> dict:
        """Return the fields a signature vouches for."""
        return {
            "number": self.number,
            "visit_id": self.visit_id,
            "service_class": self.service_class,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "service_content": self.service_content,
            "parts": self.parts,
            "labour_minutes": self.labour_minutes,
            "fee_cents": self.fee_cents,
        }

    def content_hash(self) -> str:
        return rules.content_hash(self.content())

    def signature_of(self, role: str) -> VoucherSignature | None:
        return next((s for s in self.signatures if s.role == role), None)

    def has_valid_signature(self, role: str) -> bool:
        """Return whether `role` signed exactly the current content (VCH: hash binding)."""
        signature = self.signature_of(role)
        return signature is not None and signature.content_hash == self.content_hash()


class VoucherSignature(Base):
    __tablename__ = "voucher_signatures"
    __table_args__ = (UniqueConstraint("voucher_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("service_vouchers.id"))
    role: Mapped[str] = mapped_column(String(16))  # customer | manager
    signer_name: Mapped[str] = mapped_column(String(120))
    image_png: Mapped[bytes] = mapped_column(LargeBinary)
    image_sha256: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    lat: Mapped[float | None]
    lon: Mapped[float | None]

    voucher: Mapped[ServiceVoucher] = relationship(back_populates="signatures")


class VoucherAmendment(Base):
    """A correction to an archived voucher: the voucher stays as signed, this sits beside it."""

    __tablename__ = "voucher_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("service_vouchers.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    author_id: Mapped[int | None]
    created_at: Mapped[datetime]

    voucher: Mapped[ServiceVoucher] = relationship(back_populates="amendments")
