"""Worker entry point: RQ worker with the scheduler, plus the outbox relay loop."""

from __future__ import annotations

import logging
import threading
import time

from rq import Worker

from dispatch import jobs
from dispatch.config import activate, load_config

log = logging.getLogger("dispatch.worker")


def _relay_forever(config) -> None:
    while True:
        try:
            jobs.relay_pending(config)
        except Exception:  # keep relaying through database or Redis hiccups
            log.exception("outbox relay failed; retrying")
        time.sleep(config.relay_interval_seconds)


def main() -> None:
    """Run the relay in a thread and an RQ worker (with scheduler) in the foreground."""
    logging.basicConfig(level=logging.INFO)
    config = load_config()
    activate(config)
    jobs.ensure_configured(config)
    threading.Thread(target=_relay_forever, args=(config,), daemon=True).start()
    worker = Worker([jobs.queue_for(config)], connection=jobs.redis_connection(config))
    worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
