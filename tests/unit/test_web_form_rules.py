"""Pure rules of the public web form's one-time codes, and their redaction from logs (INT-15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dispatch.security import redact
from dispatch.webform.rules import CodeStatus, attempts_left, code_problem, sending_problem

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def check(status=CodeStatus.SENT, minutes_left=5, attempts=0):
    return code_problem(
        status=status,
        expires_at=NOW + timedelta(minutes=minutes_left),
        attempts=attempts,
        max_attempts=5,
        now=NOW,
    )


def test_int_15_a_fresh_code_works_and_used_locked_or_expired_ones_do_not():
    assert check() is None
    assert check(status=CodeStatus.USED)[0] == "code_used"
    assert check(status=CodeStatus.LOCKED)[0] == "code_attempts_exceeded"
    assert check(attempts=5)[0] == "code_attempts_exceeded"
    assert check(minutes_left=0)[0] == "code_expired"
    assert (attempts_left(3, 5), attempts_left(7, 5)) == (2, 0)


def test_int_15_codes_are_limited_per_phone_first_then_per_client_address():
    limits = {"per_phone": 5, "per_client": 20}
    assert sending_problem(sent_for_phone=4, sent_for_client=19, **limits) is None
    assert sending_problem(sent_for_phone=5, sent_for_client=20, **limits)[0] == (
        "too_many_codes_for_phone"
    )
    assert sending_problem(sent_for_phone=0, sent_for_client=20, **limits)[0] == (
        "too_many_codes_from_client"
    )


def test_int_15_int_12_codes_and_plan_link_tokens_never_reach_the_logs():
    assert "482913" not in redact("[Service] Your code is 482913. It is valid for 10 minutes.")
    assert "482913" not in redact("【售后服务】您的验证码是482913，10分钟内有效。")
    assert "abc.DEF-123" not in redact("agree: http://127.0.0.1:5000/p/abc.DEF-123 now")
