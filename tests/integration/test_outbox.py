"""Side effects leave through the outbox: none for a rollback, none lost, none doubled."""

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select

from dispatch import jobs, outbox
from dispatch.api.base import transactional
from dispatch.clock import utcnow
from dispatch.db import db, session_scope
from dispatch.errors import Conflict
from dispatch.notifications.models import SmsMessage
from dispatch.notifications.service import queue_sms
from dispatch.outbox import OutboxMessage
from tests.builders import book_visit


def customer(session, world):
    from dispatch.customers.models import Customer

    return session.get(Customer, world.customer_id)


def test_rolled_back_request_sends_nothing(app, world, config, run_worker, sms):
    @transactional
    def change_then_fail():
        queue_sms(
            db.session,
            customer=customer(db.session, world),
            template="followup_survey",
            number="V-1",
            link="x",
        )
        raise Conflict("someone else was faster")

    with app.test_request_context(), pytest.raises(Conflict):
        change_then_fail()
    run_worker()
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(SmsMessage)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert jobs.queue_for(config).count == 0 and sms.sent == []


def test_rolled_back_http_request_sends_nothing(client, world, session, run_worker, sms):
    book_visit(client, world)  # one SMS
    run_worker()
    before = len(sms.sent)
    visit = book_visit(client, world, tech="tech_b", minutes=120)  # fills the window
    # Booking the same window again fails after the row lock: nothing of it may leave.
    from tests.builders import repair_request

    request = repair_request(client, world)
    response = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_b"],
            "window_start": visit["window_start"],
            "window_end": visit["window_end"],
        },
    )
    assert response.status_code == 409
    run_worker()
    asked = [m for m in sms.sent[before:] if "Please confirm" in m.body]
    assert len(asked) == 1  # only the successful second booking asked; the refused one nothing


def test_message_committed_but_never_relayed_is_sent_by_the_relay(world, config, sms):
    # The web process died right after commit: the fast path never ran.
    with session_scope() as session:
        queue_sms(
            session,
            customer=customer(session, world),
            template="followup_survey",
            number="V-9",
            link="x",
        )
        outbox.take_new_ids(session)
    assert jobs.queue_for(config).count == 0
    assert jobs.relay_pending(config) == 1
    assert jobs.relay_pending(config) == 0  # relayed rows are not handed over twice
    SimpleWorker([jobs.queue_for(config)], connection=jobs.redis_connection(config)).work(
        burst=True
    )
    assert [m.body for m in sms.sent] == ["[Service] How did we do on visit V-9? Rate us: x"]


def test_running_the_same_message_twice_sends_once(world, config, sms):
    with session_scope() as session:
        queue_sms(
            session,
            customer=customer(session, world),
            template="followup_survey",
            number="V-2",
            link="x",
        )
        message_id = outbox.take_new_ids(session)[0]
    assert jobs.run_outbox_message(message_id) == "sent"
    assert jobs.run_outbox_message(message_id) == "already-processed"
    assert len(sms.sent) == 1


def test_fast_path_hands_new_messages_over_once_and_leaves_the_relays_alone(world, config, sms):
    # Two new messages, one of which the relay loop hands over first (a race after commit).
    with session_scope() as session:
        for number in ("V-3", "V-4"):
            queue_sms(
                session,
                customer=customer(session, world),
                template="followup_survey",
                number=number,
                link="x",
            )
        first, second = outbox.take_new_ids(session)
    with session_scope() as session:
        session.get(OutboxMessage, first).enqueued_at = utcnow()  # the loop's mark

    jobs.relay_soon(config, [first, second])
    jobs.relay_soon(config, [first, second])  # again: nothing is handed over twice

    queue = jobs.queue_for(config)
    assert queue.count == 1
    with session_scope() as session:
        handed = session.get(OutboxMessage, second)
        assert handed.job_id == queue.job_ids[0] and handed.job_id.startswith(f"outbox-{second}-")
        assert handed.enqueued_at is not None
        assert handed.redrive_at == handed.enqueued_at + jobs.lease(config)
        assert session.get(OutboxMessage, first).job_id is None  # the loop's, left as it was
    SimpleWorker([queue], connection=jobs.redis_connection(config)).work(burst=True)
    assert [m.body for m in sms.sent] == ["[Service] How did we do on visit V-4? Rate us: x"]
