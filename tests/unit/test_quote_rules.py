"""Pure rules of quotes, location modes and finance tasks (VCH-3, VCH-15, VCH-17, ROL-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from dispatch.errors import InvalidTransition
from dispatch.locationmodes import rules as modes
from dispatch.payments.rules import INVOICE_TASK_LIFECYCLE, invoice_problem
from dispatch.quotes.rules import (
    CHARGE_LIFECYCLE,
    collection_problem,
    effective_items,
    initial_charge_status,
)


@dataclass
class Item:
    code: str
    region_id: int | None
    valid_from: datetime
    price_cents: int


def _at(day: int) -> datetime:
    return datetime(2026, 12, day, tzinfo=UTC)


def test_vch_3_the_regions_own_price_in_force_wins_over_global_and_future_versions():
    items = [
        Item("CHK", None, _at(1), 5_000),
        Item("CHK", None, _at(3), 5_500),  # newer global version
        Item("CHK", 7, _at(2), 6_000),  # the region's own price
        Item("CHK", 7, _at(20), 9_000),  # not yet in force
        Item("CHK", 8, _at(1), 1),  # another region's
        Item("FIX", None, _at(1), 20_000),
    ]
    chosen = effective_items(items, 7, _at(10))
    assert {code: item.price_cents for code, item in chosen.items()} == {
        "CHK": 6_000,
        "FIX": 20_000,
    }
    assert effective_items(items, None, _at(10))["CHK"].price_cents == 5_500
    assert effective_items(items, 7, _at(21))["CHK"].price_cents == 9_000


def test_vch_15_off_table_charges_wait_for_confirmation_and_block_collection():
    assert initial_charge_status(off_table=True) == "pending"
    assert initial_charge_status(off_table=False) == "agreed"
    assert collection_problem(["agreed", "pending"])[0] == "charge_unconfirmed"
    assert collection_problem(["agreed", "disputed"])[0] == "charge_disputed"
    assert collection_problem(["agreed"]) is None and collection_problem([]) is None
    assert CHARGE_LIFECYCLE.allows("agreed", "disputed")
    with pytest.raises(InvalidTransition):
        CHARGE_LIFECYCLE.check("disputed", "agreed")


def test_vch_17_each_mode_lists_its_missing_appointments_and_takes_only_its_kinds():
    assert modes.missing("workshop", {"collection"}) == ["return"]
    assert modes.missing("workshop", set()) == ["collection", "return"]
    assert modes.missing("drop_off", {"drop_off"}) == []
    assert modes.missing("on_site", {"assessment"}) == []
    assert modes.dispatch_problem("workshop", "repair") is not None
    assert modes.dispatch_problem("drop_off", "return") is None
    assert modes.dispatch_problem("on_site", "collection") is not None


def test_rol_3_finance_invoices_only_after_receipt_of_collected_money():
    assert invoice_problem("mail_invoice", "handed_over") is not None
    assert invoice_problem("mail_invoice", "received") is None
    assert invoice_problem("invoice", "open") is None
    assert invoice_problem("invoice", "closed") is not None
    assert not INVOICE_TASK_LIFECYCLE.allows("open", "received")  # handed over first
