"""A worker killed with SIGKILL in the middle of a send loses and doubles nothing (issue 10 §3).

Recovery bound: lease (6 s) + relay interval + the texts still queued; 60 s is stated.
"""

from __future__ import annotations

from tests.faults.delivery import attempts_in_flight, delivery
from tests.faults.processes import wait_until
from tests.faults.scenario import repair_done_on_december_1

RECOVERY_SECONDS = 60


def test_msg_kill_9_before_and_after_the_gateway_call_sends_each_sms_once_fup_1(
    client, sms, start_worker
):
    repair_done_on_december_1(client)
    slow = {"sms_fake_latency_seconds": 3.0}  # 3 s before and 3 s after the text arrives
    worker = start_worker(**slow)

    # 1. Killed after the attempt was recorded, before the provider got the text.
    assert wait_until(lambda: attempts_in_flight(sms)[0], 60), worker.log()
    worker.kill()
    not_received, _ = attempts_in_flight(sms)
    assert len(not_received) == 1

    # 2. Killed after the provider got the text, before its answer was recorded.
    worker = start_worker(**slow)
    assert wait_until(lambda: attempts_in_flight(sms)[1], 60), worker.log()
    worker.kill()
    _, received_unanswered = attempts_in_flight(sms)
    assert len(received_unanswered) == 1

    start_worker()
    assert wait_until(lambda: delivery(sms).complete, RECOVERY_SECONDS), worker.log()
    result = delivery(sms)
    assert result.exactly_once, result
    assert result.followups == result.followups_sent == 1
