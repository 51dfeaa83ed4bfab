"""The voucher lifecycle as data (VCH-6 to VCH-10, C5): model transitions without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dispatch.models  # noqa: F401  (every mapper, so a ServiceVoucher can be built)
from dispatch.errors import InvalidTransition, RuleViolation
from dispatch.vouchers.models import ServiceVoucher
from dispatch.vouchers.rules import TRANSITIONS, VoucherEvent, VoucherState, content_hash

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONTENT = {
    "service_class": "A",
    "started_at": START,
    "ended_at": START + timedelta(minutes=50),
    "service_content": "Replaced the drive belt",
    "parts": [],
    "labour_minutes": 45,
    "fee_cents": 18000,
    "problem": "Drive belt worn through",
    "work_done": "Fitted a new drive belt",
    "solution": "Belt replaced, tension set",
    "result": "Drum turns, full wash cycle ran",
}


def filled() -> ServiceVoucher:
    voucher = ServiceVoucher(number="SV-20261201-0001", visit_id=7, issued_at=START)
    voucher.fill(**CONTENT)
    return voucher


def test_vch_6_a_new_voucher_is_issued_and_filling_it_makes_it_filled():
    voucher = ServiceVoucher(number="SV-1", visit_id=1, issued_at=START)
    assert voucher.status == VoucherState.ISSUED
    voucher.fill(**CONTENT)
    assert voucher.status == VoucherState.FILLED


@pytest.mark.parametrize(
    "gap",
    [
        {"service_content": "   "},
        {"problem": None},
        {"work_done": ""},
        {"solution": None},
        {"result": " "},
        {"problem": None, "result": None},
        {"started_at": None},
        {"ended_at": None},
        {"parts": None},
        {"ended_at": START - timedelta(minutes=1)},
    ],
)
def test_vch_6_a_voucher_missing_its_record_cannot_be_submitted(gap):
    voucher = ServiceVoucher(number="SV-1", visit_id=1, issued_at=START)
    with pytest.raises(RuleViolation) as refused:
        voucher.fill(**CONTENT | gap)
    assert refused.value.error_code == "voucher_incomplete"
    assert set(refused.value.details) == set(gap)
    assert voucher.status == VoucherState.ISSUED


@pytest.mark.parametrize("order", [("customer", "manager"), ("manager", "customer")])
def test_vch_9_both_signatures_archive_the_voucher_in_either_order(order):
    voucher = filled()
    voucher.record_signature(order[0])
    assert voucher.status == {"customer": "customer_signed", "manager": "countersigned"}[order[0]]
    assert not voucher.is_archived and voucher.archived_at is None
    voucher.record_signature(order[1])
    assert voucher.is_archived and voucher.status == "archived"
    assert voucher.archived_at is not None


def test_vch_7_a_voucher_is_signed_only_once_per_role():
    voucher = filled()
    voucher.record_signature("customer")
    with pytest.raises(InvalidTransition):
        voucher.record_signature("customer")
    assert voucher.status == VoucherState.CUSTOMER_SIGNED


def test_vch_7_a_real_change_after_a_signature_returns_the_voucher_to_filled():
    voucher = filled()
    voucher.record_signature("customer")
    assert voucher.revise({"fee_cents": CONTENT["fee_cents"]}) == {}  # nothing changed
    assert voucher.status == VoucherState.CUSTOMER_SIGNED
    assert voucher.revise({"fee_cents": 25000}) == {"fee_cents": 18000}
    assert voucher.status == VoucherState.FILLED and voucher.fee_cents == 25000


def test_vch_10_an_archived_voucher_refuses_every_change():
    voucher = filled()
    voucher.record_signature("customer")
    voucher.record_signature("manager")
    attempts = [
        lambda: voucher.revise({"fee_cents": 99999}),
        lambda: voucher.record_signature("customer"),
        voucher.void,
        lambda: setattr(voucher, "fee_cents", 99999),  # even a direct write
    ]
    for attempt in attempts:
        with pytest.raises(InvalidTransition) as refused:
            attempt()
        assert refused.value.error_code == "voucher_archived"
    assert voucher.fee_cents == 18000 and voucher.is_archived


def test_a_cancelled_job_voids_only_a_voucher_nobody_signed():
    unsigned = filled()
    unsigned.void()
    assert unsigned.status == VoucherState.VOID
    with pytest.raises(InvalidTransition):
        unsigned.record_signature("customer")
    countersigned = filled()
    countersigned.record_signature("manager")
    assert not countersigned.can(VoucherEvent.VOID)
    with pytest.raises(InvalidTransition):
        countersigned.void()


def test_the_table_names_every_state_and_archived_and_void_are_final():
    assert set(TRANSITIONS) == set(VoucherState)
    assert TRANSITIONS[VoucherState.ARCHIVED] == {} and TRANSITIONS[VoucherState.VOID] == {}
    reachable = {target for moves in TRANSITIONS.values() for target in moves.values()}
    assert reachable == set(VoucherState) - {VoucherState.ISSUED}


EVENTS = st.sampled_from(["customer", "manager", "revise", "void"])


@given(st.lists(EVENTS, max_size=12))
def test_c5_archived_exactly_when_both_signed_the_current_content(events):
    voucher, signed, fee = filled(), set(), 0
    for event in events:
        try:
            if event == "revise":
                fee += 1
                voucher.revise({"fee_cents": fee})
                signed = set()
            elif event == "void":
                voucher.void()
            else:
                voucher.record_signature(event)
                signed.add(event)
        except InvalidTransition:
            continue
    assert voucher.is_archived == (signed == {"customer", "manager"})


def test_vch_7_vouchers_from_before_the_record_keep_their_signed_hash():
    record = ("problem", "work_done", "solution", "result")
    legacy = filled()
    for name in record:
        setattr(legacy, name, None)
    signed_then = {"number": legacy.number, "visit_id": 7}
    signed_then |= {name: value for name, value in CONTENT.items() if name not in record}
    assert legacy.content() == signed_then
    assert legacy.content_hash() == content_hash(signed_then)
