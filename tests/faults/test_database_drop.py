"""The worker's database connections dropped mid-work; an RQ job timeout (issue 10 §3)."""

from __future__ import annotations

import time

from sqlalchemy import text

from dispatch.db import db
from tests.faults.delivery import attempts_in_flight, delivery
from tests.faults.processes import WORKER_DB_APP, wait_until
from tests.faults.scenario import repair_done_on_december_1

RECOVERY_SECONDS = 60


def _terminate_worker_connections() -> int:
    with db.engine.begin() as connection:
        return len(
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name = :name"
                ),
                {"name": WORKER_DB_APP},
            ).all()
        )


def test_msg_worker_database_connections_dropped_mid_work_send_each_once_fup_1(
    client, sms, start_worker
):
    repair_done_on_december_1(client)
    worker = start_worker(sms_fake_latency_seconds=0.5)
    assert wait_until(lambda: any(attempts_in_flight(sms)), 30), worker.log()
    terminated, until = 0, time.monotonic() + 6
    while time.monotonic() < until:  # the horse, the relay and the sweeps all lose theirs
        terminated += _terminate_worker_connections()
        time.sleep(0.4)
    assert terminated > 0
    assert wait_until(lambda: delivery(sms).complete, RECOVERY_SECONDS), worker.log()
    result = delivery(sms)
    assert result.exactly_once, result
    assert result.followups_sent == 1


def test_msg_job_stopped_by_rq_timeout_after_the_text_arrived_is_not_sent_again(
    client, sms, start_worker
):
    repair_done_on_december_1(client)
    # Every send takes 4 s + 4 s: RQ's job timeout (the 6 s lease) stops each job after the
    # text arrived and before the answer is recorded; the next attempt finds it at the gateway.
    worker = start_worker(sms_fake_latency_seconds=4.0)
    assert wait_until(lambda: attempts_in_flight(sms)[1], 30), worker.log()
    worker.stop()
    start_worker()
    assert wait_until(lambda: delivery(sms).complete, RECOVERY_SECONDS), worker.log()
    assert delivery(sms).exactly_once, delivery(sms)
    assert "JobTimeoutException" in worker.log()
