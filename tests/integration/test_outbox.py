"""Side effects leave through the outbox: none for a rollback, none lost, none doubled."""

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select

from dispatch import jobs, outbox
from dispatch.api.base import transactional
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
