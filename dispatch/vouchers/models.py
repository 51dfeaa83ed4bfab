"""Service vouchers (服务凭证) and the signatures bound to their content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship, validates

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import InvalidTransition, RuleViolation
from dispatch.privacy.crypto import EncryptedBytes, EncryptedText
from dispatch.visits.models import Visit
from dispatch.vouchers import rules
from dispatch.vouchers.rules import VoucherEvent, VoucherState

# The record of the work a voucher carries since VCH-6 was enforced; older vouchers have none,
# and their content (so their hash and signatures) stays as it was signed.
RECORD_FIELDS = ("problem", "work_done", "solution", "result")
# What a signature vouches for, besides the voucher's number and job.
CONTENT_FIELDS = (
    "service_class",
    "started_at",
    "ended_at",
    "service_content",
    "parts",
    "labour_minutes",
    "fee_cents",
    *RECORD_FIELDS,
)
EDITABLE = ("service_content", "parts", "labour_minutes", "fee_cents", *RECORD_FIELDS)


class ServiceVoucher(Base):
    __tablename__ = "service_vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)
    service_class: Mapped[str] = mapped_column(String(1))
    # Empty while the voucher is only issued at dispatch (VCH-1); filled at completion (VCH-6).
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    service_content: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(Text)  # VCH-6: fault found (diagnosis)
    work_done: Mapped[str | None] = mapped_column(Text)
    solution: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)  # 处理结果: the outcome the customer sees
    parts: Mapped[list] = mapped_column(default=list)
    labour_minutes: Mapped[int] = mapped_column(default=0)
    fee_cents: Mapped[int] = mapped_column(default=0)
    # Changed only by the transition methods below, through rules.TRANSITIONS.
    status: Mapped[str] = mapped_column(String(20), default=VoucherState.ISSUED.value)
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

    def __init__(self, **kwargs):
        super().__init__(status=VoucherState.ISSUED.value, **kwargs)

    @property
    def is_archived(self) -> bool:
        """Return whether both signatures are in and the voucher is read-only (VCH-9, VCH-10)."""
        return self.status == VoucherState.ARCHIVED

    @property
    def awaiting_record(self) -> bool:
        """Issued at dispatch and not filled yet: nothing to print or sign (VCH-1)."""
        return self.status == VoucherState.ISSUED

    def can(self, event: VoucherEvent) -> bool:
        """Return whether the lifecycle table allows `event` now."""
        return rules.next_state(self.status, event) is not None

    def fill(self, **content) -> None:
        """Write the record of the finished work; refuse it while anything is missing (VCH-6)."""
        target = self.target_of(VoucherEvent.FILL)
        for name in CONTENT_FIELDS:
            if name in content:
                setattr(self, name, content[name])
        missing = rules.missing_content(self.content())
        if missing:
            raise RuleViolation(
                "The voucher cannot be submitted before it is complete",
                error_code="voucher_incomplete",
                details={name: ["missing or out of order"] for name in missing},
            )
        self._enter(target)

    def record_signature(self, role: str) -> None:
        """Move on after a valid signature of `role`; the second one archives (C5, VCH-9)."""
        self._enter(self.target_of(rules.SIGNING_EVENTS[role]))

    def revise(self, changes: dict) -> dict:
        """Correct the content before archiving; return the old values of what changed.

        A real change voids the signatures given so far (VCH-7): they no longer match the hash.
        """
        target = self.target_of(VoucherEvent.REVISE)
        before = {
            name: getattr(self, name)
            for name in EDITABLE
            if name in changes and getattr(self, name) != changes[name]
        }
        for name in before:
            setattr(self, name, changes[name])
        if before:
            self._enter(target)
        return before

    def void(self) -> None:
        """Void the voucher of a cancelled job; only one nobody has signed yet."""
        self._enter(self.target_of(VoucherEvent.VOID))

    def target_of(self, event: VoucherEvent) -> VoucherState:
        """Return the state `event` leads to, or raise InvalidTransition."""
        target = rules.next_state(self.status, event)
        if target is None:
            archived = self.status == VoucherState.ARCHIVED
            raise InvalidTransition(
                "The voucher is archived and read-only; add an amendment instead"
                if archived
                else f"A voucher that is {self.status} cannot take '{event}'",
                error_code="voucher_archived" if archived else None,
                details={"status": self.status, "event": str(event)},
            )
        return target

    def _enter(self, state: VoucherState) -> None:
        self.status = state.value
        if state == VoucherState.ARCHIVED:
            self.archived_at = utcnow()

    @validates(*CONTENT_FIELDS)
    def _read_only_once_archived(self, name, value):
        if self.status == VoucherState.ARCHIVED:  # VCH-10: amendments sit beside it instead
            raise InvalidTransition(
                "The voucher is archived and read-only; add an amendment instead",
                error_code="voucher_archived",
                details={"field": name},
            )
        return value

    def snapshot(self) -> dict:
        """Return what an audit row shows before and after a change."""
        return {"status": str(self.status), "content_hash": self.content_hash()}

    def content(self) -> dict:
        """Return the fields a signature vouches for."""
        content = {
            "number": self.number,
            "visit_id": self.visit_id,
            **{name: getattr(self, name) for name in CONTENT_FIELDS},
        }
        for name in RECORD_FIELDS:  # absent on vouchers issued before VCH-6 was enforced
            if content[name] is None:
                del content[name]
        return content

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
    signer_name: Mapped[str] = mapped_column(EncryptedText)  # personal, encrypted (PRV-10)
    image_png: Mapped[bytes] = mapped_column(EncryptedBytes)  # sensitive, encrypted (PRV-10)
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
