"""The worker does not hang on its first job: no thread of ours is alive when RQ forks.

Seen before (issue 10 §3): after `flask demo` the work horse of the first job waited for ever
on SQLAlchemy's mapper lock, held at fork time by the relay thread of the parent.
"""

from __future__ import annotations

import psutil
from sqlalchemy import func, or_, select

from dispatch import demo, jobs
from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.outbox import OutboxMessage
from tests.faults.processes import wait_until


def _due_and_undone() -> int:
    with session_scope() as session:
        return session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.processed_at.is_(None),
                or_(OutboxMessage.run_at.is_(None), OutboxMessage.run_at <= utcnow()),
            )
        )


def test_msg_worker_started_after_the_demo_works_through_every_due_message(
    config, sms, start_worker
):
    with session_scope() as session:  # what `flask demo` does
        demo.load(session, config)
    jobs.relay_pending(config)
    assert _due_and_undone() > 20
    worker = start_worker()
    assert wait_until(lambda: _due_and_undone() == 0, 120), worker.log()
    assert len(sms.sent) > 0 and "Traceback" not in worker.log()


def test_msg_forking_worker_process_runs_no_thread_of_ours_and_relays_in_a_child(
    config, start_worker
):
    worker = start_worker()
    parent = psutil.Process(worker.process.pid)

    def relay_child() -> list[psutil.Process]:
        return [p for p in parent.children() if "multiprocessing" in " ".join(p.cmdline())]

    assert wait_until(lambda: relay_child() and "Listening on" in worker.log(), 30)
    assert parent.num_threads() <= 2  # the main thread and RQ's own pub/sub listener


def test_msg_relay_process_killed_on_its_own_is_started_again_and_relays(config, sms, start_worker):
    worker = start_worker()
    parent = psutil.Process(worker.process.pid)

    def relay_children() -> list[psutil.Process]:
        alive = [p for p in parent.children() if p.status() != psutil.STATUS_ZOMBIE]
        return [p for p in alive if "multiprocessing" in " ".join(p.cmdline())]

    assert wait_until(lambda: relay_children() and "Listening on" in worker.log(), 30)
    first = relay_children()[0]
    first.kill()  # kill -9 of the relay and sweeps process alone
    restarted = wait_until(lambda: [p for p in relay_children() if p.pid != first.pid], 30)
    assert restarted, worker.log()[-3000:]
    with session_scope() as session:  # rows nobody hands to RQ but the relay
        demo.load(session, config)
    assert _due_and_undone() > 20
    assert wait_until(lambda: _due_and_undone() == 0, 120), worker.log()
    assert len(sms.sent) > 0 and "Traceback" not in worker.log()
