"""No message lost, none sent twice (issue 10 §3), in process on PostgreSQL and Redis.

The faults with a real worker process are in tests/faults/.
"""

from datetime import timedelta

import pytest
from rq import Worker
from sqlalchemy import update

from dispatch import jobs, outbox
from dispatch.clock import utcnow
from dispatch.customers.models import Customer
from dispatch.db import session_scope
from dispatch.notifications.gateway import TwilioGateway
from dispatch.notifications.models import SmsMessage
from dispatch.notifications.service import AttemptInFlight, deliver, queue_sms
from dispatch.outbox import OutboxMessage


def _queue_survey(world, number="V-1") -> tuple[int, int]:
    """Queue one survey SMS; return (sms id, outbox message id)."""
    with session_scope() as session:
        message = queue_sms(
            session,
            customer=session.get(Customer, world.customer_id),
            template="followup_survey",
            number=number,
            link="x",
        )
        return message.id, outbox.take_new_ids(session)[0]


def _interrupted_attempt(sms_id: int, *, ago: timedelta, client_ref: str) -> None:
    """Leave the SMS as a worker killed during the provider call leaves it."""
    with session_scope() as session:
        sms = session.get(SmsMessage, sms_id)
        sms.begin_attempt(at=utcnow() - ago, client_ref=client_ref)


def _lease_runs_out(message_id: int) -> None:
    with session_scope() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(redrive_at=utcnow() - timedelta(seconds=1))
        )


def _work(config) -> None:
    Worker([jobs.queue_for(config)], connection=jobs.redis_connection(config)).work(
        burst=True, logging_level="WARNING"
    )


def test_msg_sms_that_reached_the_gateway_before_a_crash_is_not_sent_again(world, config, sms):
    sms_id, message_id = _queue_survey(world)
    _interrupted_attempt(sms_id, ago=timedelta(minutes=5), client_ref="sms-ref-1")
    sms.send("+8613800138000", "the text", client_ref="sms-ref-1")  # it did arrive
    assert jobs.run_outbox_message(message_id) == "sent:recovered"
    assert len(sms.sent) == 1
    with session_scope() as session:
        row = session.get(SmsMessage, sms_id)
        assert (row.status, row.provider_ref, row.attempts) == ("sent", "rec-1", 1)


def test_msg_sms_interrupted_before_reaching_the_gateway_is_sent_once(world, config, sms):
    sms_id, message_id = _queue_survey(world, "V-2")
    _interrupted_attempt(sms_id, ago=timedelta(minutes=5), client_ref="sms-ref-2")
    assert jobs.run_outbox_message(message_id) == "sent"
    assert jobs.run_outbox_message(message_id) == "already-processed"
    assert [(m.client_ref, "V-2" in m.body) for m in sms.sent] == [("sms-ref-2", True)]
    with session_scope() as session:
        assert session.get(SmsMessage, sms_id).attempts == 2


def test_msg_attempt_still_in_flight_is_not_doubled_but_retried_later(world, config, sms):
    sms_id, message_id = _queue_survey(world, "V-3")
    _interrupted_attempt(sms_id, ago=timedelta(seconds=1), client_ref="sms-ref-3")
    with pytest.raises(AttemptInFlight):
        jobs.run_outbox_message(message_id)
    assert sms.sent == []
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row.processed_at is None and row.attempts == 1
        assert "AttemptInFlight" in row.last_error
        wait = (row.redrive_at - utcnow()).total_seconds()
        assert 0 < wait <= config.outbox_retry_waits[0]


def test_msg_interrupted_send_a_provider_cannot_look_up_is_never_resent(world, config):
    sms_id, _ = _queue_survey(world, "V-4")
    _interrupted_attempt(sms_id, ago=timedelta(minutes=5), client_ref="sms-ref-4")
    twilio = TwilioGateway("AC0", "token", "+15005550006", timeout=1)  # no call is made
    with session_scope() as session:
        assert deliver(session, twilio, sms_id, send_timeout=15) == "uncertain"
    with session_scope() as session:
        row = session.get(SmsMessage, sms_id)
        assert row.status == "uncertain" and "cannot be asked" in row.error


def test_msg_message_lost_by_redis_is_handed_over_again_when_its_lease_runs_out(world, config, sms):
    _, message_id = _queue_survey(world, "V-5")
    assert jobs.relay_pending(config) == 1
    jobs.redis_connection(config).flushdb()  # the queued job is gone
    assert jobs.relay_pending(config) == 0  # within its lease nothing is doubled
    _lease_runs_out(message_id)
    assert jobs.relay_pending(config) == 1
    _work(config)
    assert len(sms.sent) == 1
    _lease_runs_out(message_id)
    assert jobs.relay_pending(config) == 0  # done rows are never handed over again


def test_msg_job_still_queued_when_its_lease_runs_out_keeps_its_place(world, config, sms):
    _, message_id = _queue_survey(world, "V-6")
    jobs.relay_pending(config)
    with session_scope() as session:
        first_job = session.get(OutboxMessage, message_id).job_id
    _lease_runs_out(message_id)
    assert jobs.relay_pending(config) == 1
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row.job_id == first_job and row.redrive_at > utcnow()
    assert jobs.queue_for(config).count == 1
    _work(config)
    assert len(sms.sent) == 1


def test_msg_failing_message_waits_between_attempts_then_is_given_up(world, config, app):
    from dispatch.config import activate

    activate(config.with_overrides(outbox_retry_seconds="1"))
    with session_scope() as session:  # points at an SMS that does not exist: every run fails
        message = outbox.add(session, "sms.send", sms_id=999_999)
    message_id = message.id  # the row went in with the commit
    jobs.relay_pending(config)
    _work(config)
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert (row.attempts, row.given_up_at) == (1, None) and "NoResultFound" in row.last_error
        assert jobs.relay_pending(config) == 0  # waits its second
    _lease_runs_out(message_id)
    assert jobs.relay_pending(config) == 1  # the failed RQ job is not waiting: handed over anew
    _work(config)
    with session_scope() as session:
        row = session.get(OutboxMessage, message_id)
        assert row.attempts == 2 and row.given_up_at is not None
    _lease_runs_out(message_id)
    assert jobs.relay_pending(config) == 0
