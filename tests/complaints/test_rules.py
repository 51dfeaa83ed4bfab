"""Pure complaint-governance rules, without a database (CMP-4, 8, 11, 14, 19)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from dispatch.complaints import rules
from dispatch.config import Config, ConfigError
from dispatch.users.models import ROLES

SH = ZoneInfo("Asia/Shanghai")
ROUTES = [
    ("delay", None, 1),
    ("delay", "installation", 2),
    (None, "installation", 3),
    (None, None, 4),
]


def test_cmp_4_most_specific_route_wins_and_the_person_complained_about_is_skipped():
    pick = rules.route_handler
    assert pick(ROUTES, category="delay", department="installation", excluded=set()) == 2
    assert pick(ROUTES, category="delay", department=None, excluded=set()) == 1
    assert pick(ROUTES, category="price", department="installation", excluded=set()) == 3
    assert pick(ROUTES, category="price", department=None, excluded=set()) == 4
    assert pick(ROUTES, category="delay", department="installation", excluded={2}) == 3
    assert pick([], category="delay", department=None, excluded=set()) is None


def test_cmp_8_working_days_skip_the_weekend_and_same_day_ends_at_closing():
    friday = datetime(2026, 12, 11, 16, 0, tzinfo=SH)
    assert rules.add_working_days(friday, 1, tz="Asia/Shanghai") == datetime(
        2026, 12, 14, 16, 0, tzinfo=SH
    )
    assert rules.add_working_days(friday, 5, tz="Asia/Shanghai") == datetime(
        2026, 12, 18, 16, 0, tzinfo=SH
    )
    closing = time(17, 30)
    assert rules.end_of_working_day(friday, tz="Asia/Shanghai", day_end=closing) == datetime(
        2026, 12, 11, 17, 30, tzinfo=SH
    )
    evening = datetime(2026, 12, 11, 18, 0, tzinfo=SH)  # after hours on a Friday: Monday
    assert rules.end_of_working_day(evening, tz="Asia/Shanghai", day_end=closing) == datetime(
        2026, 12, 14, 17, 30, tzinfo=SH
    )


def test_cmp_8_cmp_11_governance_clocks_parse_and_stay_configurable():
    table = rules.parse_clock_minutes(rules.GOVERNANCE_CLOCKS)
    assert rules.clock_minutes(table, "resolution", "soft", "low") == "5wd"
    assert rules.clock_minutes(table, "resolution", "hard", "high") == 24 * 60
    assert rules.clock_minutes(table, "case_decision", "soft", "medium", "major") == "1wd"
    assert rules.clock_minutes(table, "case_decision", "soft", "medium", "general") == "sameday"
    with pytest.raises(ConfigError):
        Config(complaint_sla_minutes="resolution.low=0wd").validate()


def test_cmp_11_cmp_14_who_decides_and_who_hears_an_appeal():
    assert rules.case_decider("general") == rules.Role.DEPARTMENT_HEAD
    assert rules.case_decider("major") == rules.Role.VP_IN_CHARGE
    assert rules.superior(0, rules.LADDER) == rules.Role.DEPARTMENT_HEAD
    assert rules.superior(7, rules.LADDER) == rules.Role.GENERAL_MANAGER
    assert set(rules.Role) <= set(ROLES)  # the governance roles are real user roles
    assert Config().escalation_roles == tuple(rules.LADDER)


def test_cmp_19_close_lists_what_is_missing():
    assert rules.close_missing(
        has_solution=True, has_resolution=True, followed_up=False, feedback="  "
    ) == ["follow_up", "customer_feedback"]
    assert not rules.close_missing(
        has_solution=True, has_resolution=True, followed_up=True, feedback="Done"
    )
