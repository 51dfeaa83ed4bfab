"""The customer's complaint updates read as words in both languages (CMP-18)."""

from dispatch.complaints import rules
from dispatch.complaints.notices import STEP_TEXT


def test_cmp_18_every_step_the_customer_sees_has_a_text_in_chinese_and_english():
    steps = set(rules.CUSTOMER_STEPS.values())
    for language in ("zh-CN", "en"):
        assert steps <= set(STEP_TEXT[language]), language
        assert all("_" not in STEP_TEXT[language][step] for step in steps)
