"""Pure rules of the service plan (INT-12)."""

from __future__ import annotations

import pytest

from dispatch.errors import InvalidTransition
from dispatch.serviceplans.rules import (
    PLAN_LIFECYCLE,
    PlanStatus,
    blocks_dispatch,
    draft_problem,
    estimate_problem,
    money_text,
)


def test_int_12_class_a_needs_cost_and_time_and_free_classes_carry_no_cost():
    assert estimate_problem("A", None, 30)[0] == "estimate_required"
    assert estimate_problem("A", 1000, None)[0] == "estimate_required"
    assert estimate_problem("A", 0, 30) is None
    assert estimate_problem("B", None, None) is None
    assert estimate_problem("C", 500, 30)[0] == "estimate_not_chargeable"
    assert estimate_problem("D", 0, None) is None


def test_int_12_only_an_agreed_plan_or_none_lets_the_job_be_dispatched():
    assert not blocks_dispatch(None)
    assert not blocks_dispatch(PlanStatus.AGREED)
    assert blocks_dispatch(PlanStatus.DRAFTING) and blocks_dispatch(PlanStatus.PROPOSED)


def test_int_12_a_rejected_proposal_goes_back_to_drafting_and_agreed_is_final():
    PLAN_LIFECYCLE.check(PlanStatus.PROPOSED, PlanStatus.DRAFTING)
    PLAN_LIFECYCLE.check(PlanStatus.DRAFTING, PlanStatus.PROPOSED)
    assert PLAN_LIFECYCLE.final(PlanStatus.AGREED)
    with pytest.raises(InvalidTransition):
        PLAN_LIFECYCLE.check(PlanStatus.DRAFTING, PlanStatus.AGREED)


def test_int_12_only_an_open_field_job_takes_a_plan():
    assert draft_problem("repair", "verified") is None
    assert draft_problem("consultation", "registered")[0] == "no_field_job"
    assert draft_problem("repair", "out_of_scope")[0] == "request_ended"
    assert draft_problem("installation", "closed")[0] == "request_ended"


def test_int_12_cost_is_shown_in_yuan():
    assert (money_text(18000), money_text(5), money_text(None)) == ("¥180.00", "¥0.05", "-")
