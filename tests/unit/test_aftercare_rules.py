"""Pure rules of issue 6: complaint clocks, escalation, survey outcome, carry-over."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dispatch.backlog.rules import last_day_end, queue_key
from dispatch.complaints import rules
from dispatch.config import Config, ConfigError
from dispatch.followups.rules import SURVEY_REASONS, unsatisfied

SH = ZoneInfo("Asia/Shanghai")
HOURS = {"tz": "Asia/Shanghai", "day_start": time(8, 30), "day_end": time(17, 30)}


def test_cmp_7_default_clock_table_matches_the_requirements():
    table = rules.parse_clock_minutes(Config().complaint_sla_minutes)
    assert rules.clock_minutes(table, "first_response", "soft", "medium") == 15
    assert rules.clock_minutes(table, "verification", "soft", "medium") == 30
    assert rules.clock_minutes(table, "first_response", "hard", "low") == 60
    assert rules.clock_minutes(table, "second_response", "hard", "high") == 180
    assert rules.clock_minutes(table, "forwarding", "soft", "high") == 30
    assert rules.clock_minutes(table, "followup", "hard", "medium") == 24 * 60
    assert rules.clock_minutes(table, "verification", "hard", "medium") is None


def test_cmp_7_most_specific_clock_key_wins():
    table = rules.parse_clock_minutes("first_response=20,first_response.soft.high=5")
    assert rules.clock_minutes(table, "first_response", "soft", "high") == 5
    assert rules.clock_minutes(table, "first_response", "soft", "low") == 20


@pytest.mark.parametrize("spec", ["first_response", "x=0", "x=abc", "=5"])
def test_cmp_7_malformed_clock_settings_stop_start_up(spec):
    with pytest.raises(ConfigError):
        Config(complaint_sla_minutes=spec).validate()


def test_cmp_17_escalation_ladder_must_not_be_empty():
    with pytest.raises(ConfigError):
        Config(complaint_escalation_roles=" , ").validate()


def test_sla_calendar_short_timers_count_service_hours_only():
    start = datetime(2026, 12, 1, 17, 20, tzinfo=SH)
    assert rules.due_at(start, 15, **HOURS) == datetime(2026, 12, 2, 8, 35, tzinfo=SH)
    early = datetime(2026, 12, 1, 6, 0, tzinfo=SH)
    assert rules.due_at(early, 60, **HOURS) == datetime(2026, 12, 1, 9, 30, tzinfo=SH)


def test_sla_calendar_day_timers_run_in_calendar_time():
    start = datetime(2026, 12, 1, 17, 20, tzinfo=UTC)
    assert rules.due_at(start, 24 * 60, **HOURS) == start + timedelta(hours=24)


def test_cmp_17_escalation_climbs_one_level_then_stops():
    ladder = ("manager", "admin")
    assert rules.escalation_target(0, ladder) == (1, "manager")
    assert rules.escalation_target(1, ladder) == (2, "admin")
    assert rules.escalation_target(2, ladder) is None


def test_cmp_5_forwarding_clock_only_for_complaints_taken_outside_cs():
    assert rules.intake_clocks(nature="soft", received_outside_cs=False) == (
        "first_response",
        "verification",
    )
    assert "forwarding" in rules.intake_clocks(nature="hard", received_outside_cs=True)


def test_fup_5_complaint_category_follows_the_worst_rated_aspect():
    aspects = {"quality": 4, "timeliness": 1, "attitude": 3}
    assert rules.complaint_from_survey(aspects, None) == ("delay", "soft")
    assert rules.complaint_from_survey(aspects, False) == ("after_sales", "hard")
    assert rules.complaint_from_survey({"quality": None}, True) == ("after_sales", "soft")


def test_fup_5_low_rating_or_not_solved_is_unsatisfied():
    assert unsatisfied(2, True, 2) and unsatisfied(5, False, 2)
    assert not unsatisfied(3, None, 2) and not unsatisfied(None, None, 2)


def test_fup_3_survey_page_offers_every_reason(app):
    from dispatch.web.survey import reason_labels

    with app.test_request_context():
        assert tuple(code for code, _ in reason_labels()) == SURVEY_REASONS


def test_dsp_8_last_day_end_is_local_to_the_region():
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 18:00 Shanghai, 10:00 London
    end = time(17, 30)
    assert last_day_end(now, "Asia/Shanghai", end) == datetime(2026, 12, 1, 17, 30, tzinfo=SH)
    london = ZoneInfo("Europe/London")
    assert last_day_end(now, "Europe/London", end) == datetime(2026, 11, 30, 17, 30, tzinfo=london)


def test_dsp_6_queue_puts_carried_over_first_then_priority_then_vip():
    day = datetime(2026, 12, 1, tzinfo=UTC)
    keys = {
        "carried_low": queue_key(day, "low", False, day),
        "high": queue_key(None, "high", False, day),
        "medium_vip": queue_key(None, "medium", True, day),
        "medium": queue_key(None, "medium", False, day),
    }
    assert sorted(keys, key=keys.get) == ["carried_low", "high", "medium_vip", "medium"]
