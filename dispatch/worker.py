"""Worker entry point: RQ worker with the scheduler, plus the outbox relay loop."""

from __future__ import annotations

import functools
import logging
import threading
import time

from rq import Worker

from dispatch import jobs, sweeps
from dispatch.config import activate, load_config

log = logging.getLogger("dispatch.worker")


def _forever(task, interval: float, what: str) -> None:
    """Run `task` every `interval` seconds, surviving database or Redis hiccups."""
    while True:
        try:
            task()
        except Exception:
            log.exception("%s failed; retrying", what)
        time.sleep(interval)


def _background(target, *args) -> None:
    threading.Thread(target=target, args=args, daemon=True).start()


def main() -> None:
    """Run the relay in a thread and an RQ worker (with scheduler) in the foreground."""
    logging.basicConfig(level=logging.INFO)
    config = load_config()
    activate(config)
    jobs.ensure_configured(config)
    relay = functools.partial(jobs.relay_pending, config)
    _background(_forever, relay, config.relay_interval_seconds, "outbox relay")
    # Backstop for lost timed jobs, SLA clocks and the day-end carry-over (issue 6).
    sweep = functools.partial(sweeps.run_all, config)
    _background(_forever, sweep, config.sweep_interval_seconds, "sweeps")
    worker = Worker([jobs.queue_for(config)], connection=jobs.redis_connection(config))
    worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
