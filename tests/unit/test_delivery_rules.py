"""Pure delivery rules (issue 10 §3): the next step for an SMS, outbox retry waits, SMS states."""

from datetime import UTC, datetime, timedelta

import pytest

from dispatch.config import Config, ConfigError
from dispatch.errors import InvalidTransition
from dispatch.notifications.models import SmsMessage, SmsStatus
from dispatch.notifications.rules import Step, next_step
from dispatch.outbox import retry_wait

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
TIMEOUT = timedelta(seconds=15)


def test_msg_pending_sms_is_sent():
    assert next_step("pending", None, NOW, send_timeout=TIMEOUT) is Step.SEND


@pytest.mark.parametrize("status", ["sent", "uncertain", "failed"])
def test_msg_settled_sms_is_never_sent_again(status):
    assert next_step(status, NOW - timedelta(days=1), NOW, send_timeout=TIMEOUT) is Step.SKIP


def test_msg_attempt_younger_than_twice_the_timeout_is_left_to_finish():
    attempted = NOW - 2 * TIMEOUT + timedelta(seconds=1)
    assert next_step("sending", attempted, NOW, send_timeout=TIMEOUT) is Step.WAIT


def test_msg_stale_or_unrecorded_attempt_is_checked_with_the_provider_first():
    assert next_step("sending", NOW - 2 * TIMEOUT, NOW, send_timeout=TIMEOUT) is Step.CHECK
    assert next_step("sending", None, NOW, send_timeout=TIMEOUT) is Step.CHECK


def test_msg_retry_waits_follow_the_schedule_then_give_up():
    waits = (5.0, 30.0)
    assert [retry_wait(n, waits) for n in (1, 2, 3)] == [5.0, 30.0, None]
    assert retry_wait(0, waits) == 5.0  # a failure before the attempt was counted still waits


def test_msg_outbox_retry_setting_is_validated():
    assert Config(outbox_retry_seconds="1, 2.5").outbox_retry_waits == (1.0, 2.5)
    for bad in ("", "x", "5,-1"):
        with pytest.raises(ConfigError):
            Config(outbox_retry_seconds=bad).validate()
    with pytest.raises(ConfigError):
        Config(outbox_lease_seconds=0).validate()


def test_msg_sms_states_allow_only_the_table_transitions():
    sms = SmsMessage(id=1, status=SmsStatus.PENDING, attempts=0)
    sms.begin_attempt(at=NOW, client_ref="sms-1-a")
    sms.begin_attempt(at=NOW, client_ref="sms-1-b")  # a retry keeps the first reference
    assert (sms.status, sms.attempts, sms.client_ref) == ("sending", 2, "sms-1-a")
    sms.mark_sent(provider_ref="p-1", at=NOW)
    with pytest.raises(InvalidTransition):
        sms.begin_attempt(at=NOW, client_ref="sms-1-c")
    with pytest.raises(InvalidTransition):
        SmsMessage(id=2, status=SmsStatus.PENDING).mark_sent(provider_ref="p", at=NOW)
