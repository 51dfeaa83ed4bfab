"""Pure knowledge-base rules, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from dispatch.errors import InvalidTransition
from dispatch.knowledge import rules
from dispatch.knowledge.rules import ENTRY_LIFECYCLE, EntryStatus
from dispatch.knowledge.segment import Segmenter


@pytest.fixture(scope="module")
def cut():
    return Segmenter().cut


def test_kb_6_lifecycle_goes_through_review_and_rejection_returns_to_draft():
    S = EntryStatus
    assert ENTRY_LIFECYCLE.allows(S.DRAFT, S.IN_REVIEW)
    assert ENTRY_LIFECYCLE.allows(S.IN_REVIEW, S.DRAFT)
    assert ENTRY_LIFECYCLE.allows(S.PUBLISHED, S.EXPIRED)
    assert ENTRY_LIFECYCLE.final(S.RETIRED)
    with pytest.raises(InvalidTransition):
        ENTRY_LIFECYCLE.check(S.DRAFT, S.PUBLISHED)


def test_kb_6_nobody_approves_their_own_submission():
    assert rules.can_approve(reviewer_id=2, author_id=1)
    assert not rules.can_approve(reviewer_id=1, author_id=1)


def test_kb_13_troubleshooting_template_needs_a_cause_and_two_steps():
    problems = rules.template_problems("troubleshooting", {"title": "x", "problem": "y"})
    assert set(problems) == {"cause", "solution_steps"}
    ok = {"title": "t", "problem": "p", "cause": "c", "solution_steps": ["a", "b"]}
    assert rules.template_problems("troubleshooting", ok) == {}
    assert (
        rules.template_problems("faq", {"title": "t", "problem": "p", "solution_steps": ["a"]})
        == {}
    )


def test_kb_4_terms_split_unspaced_chinese_and_keep_error_codes(cut):
    terms = rules.index_terms("空调不制冷，显示E4错误", "Drain pump blocked (code F07)", cut)
    assert {"空调", "制冷", "e4", "drain", "pump", "f07"} <= set(terms)
    assert terms["制冷"] == rules.TITLE_WEIGHT and terms["pump"] == rules.BODY_WEIGHT
    assert terms["冷"] == rules.CHAR_WEIGHT  # one-character queries still find it
    assert rules.query_terms("ＰＵＭＰ 制冷", cut) == ["pump", "制冷"]  # full width folded


def test_kb_12_sms_text_has_no_markup_or_attachments():
    text = rules.sms_text(
        number="KB-1",
        title="**清洗** 冷凝器",
        steps=["See [the manual](http://x/y)", "![photo](http://x/p.png) <b>Refill</b>"],
    )
    assert text == "清洗 冷凝器 (KB-1)\n1. See the manual\n2. Refill"
    assert len(rules.sms_text(number="n", title="t", steps=["x" * 900])) == rules.SMS_MAX_CHARS


def test_kb_11_next_review_is_the_interval_or_the_end_of_validity():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.next_review(now) == now + timedelta(days=180)
    assert rules.next_review(now, now + timedelta(days=30)) == now + timedelta(days=30)
