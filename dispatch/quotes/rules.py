"""Pure quote rules: fault causes, warranty, the lifecycles of a quote and its charges, and
which fee-table item applies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from dispatch.lifecycle import Lifecycle


class FaultCause(StrEnum):
    """Why the product failed, as the technician finds it (VCH-3)."""

    PRODUCT_DEFECT = "product_defect"
    MISUSE = "misuse"
    UNDETERMINED = "undetermined"


class WarrantyStatus(StrEnum):
    IN_WARRANTY = "in_warranty"
    OUT_OF_WARRANTY = "out_of_warranty"


class RepairMethod(StrEnum):
    """How the technician proposes to fix it; picks the repair rules that apply (VCH-4)."""

    REPAIR = "repair"
    REPLACE_PART = "replace_part"
    EXCHANGE = "exchange"  # the whole product is exchanged
    ADJUST = "adjust"  # settings, cleaning, no part changed


class QuoteStatus(StrEnum):
    DRAFT = "draft"  # the technician is still writing it; the customer has not answered
    ACCEPTED = "accepted"  # the customer accepted it on the phone or by link: work may start


class ChargeStatus(StrEnum):
    """A charge (one quote line): agreed, waiting for the customer's confirmation, disputed."""

    PENDING = "pending"  # outside the fee table, not yet confirmed by the customer (VCH-15)
    AGREED = "agreed"  # from the fee table, or confirmed by the customer
    DISPUTED = "disputed"  # the customer disputes it; escalated as a complaint


class AcceptedVia(StrEnum):
    PHONE = "phone"  # signature or tap on the technician's device
    LINK = "link"  # the customer's own SMS link


QUOTE_LIFECYCLE = Lifecycle(
    "quote",
    {QuoteStatus.DRAFT: {QuoteStatus.ACCEPTED}, QuoteStatus.ACCEPTED: set()},
)

C = ChargeStatus
CHARGE_LIFECYCLE = Lifecycle(
    "charge",
    {
        C.PENDING: {C.AGREED, C.DISPUTED},
        C.AGREED: {C.DISPUTED},
        C.DISPUTED: set(),
    },
)


def effective_items(items: Iterable, region_id: int | None, at: datetime) -> dict[str, object]:
    """Return the fee item in force per code at `at`: the region's own before the global one,
    and of those the latest valid_from not after `at`."""
    chosen: dict[str, object] = {}
    for item in items:
        if item.valid_from > at or item.region_id not in (None, region_id):
            continue
        current = chosen.get(item.code)
        if current is None or _rank(item) > _rank(current):
            chosen[item.code] = item
    return chosen


def _rank(item) -> tuple[bool, datetime]:
    return (item.region_id is not None, item.valid_from)


def initial_charge_status(*, off_table: bool) -> ChargeStatus:
    """A fee-table price is agreed; a charge outside the table waits for the customer's
    recorded confirmation: accepting the quote that lists it, or confirming it later (VCH-15)."""
    return C.PENDING if off_table else C.AGREED


def collection_problem(statuses: Iterable[str]) -> tuple[str, str] | None:
    """Return (error_code, why) a fee cannot be collected yet, or None (VCH-15)."""
    statuses = set(statuses)
    if C.PENDING in statuses:
        return "charge_unconfirmed", "a charge outside the fee table awaits the customer"
    if C.DISPUTED in statuses:
        return "charge_disputed", "a charge is disputed and escalated"
    return None
