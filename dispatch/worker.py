"""Worker entry point: a forking RQ worker (with its scheduler) and the outbox relay + sweeps.

Fork safety (issue 10 §3): the RQ worker forks a work horse per job, so its process runs no
threads of ours. The relay and the sweeps run in a separate process started with "spawn" (a
fresh interpreter, no locks inherited), which ends when the worker process goes away and which
the worker starts again if it ends on its own (SIGCHLD).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time

import redis
from rq import Worker

from dispatch import jobs, sweeps
from dispatch.config import Config, activate, load_config
from dispatch.security import install_log_redaction

log = logging.getLogger("dispatch.worker")


def _safely(task, what: str) -> None:
    try:
        task()
    except Exception:  # database or Redis away: the next round tries again
        log.exception("%s failed; retrying", what)


def run_loops(config: Config, parent_pid: int) -> None:
    """Relay the outbox and run the sweeps, each at its interval, while the parent lives."""
    logging.basicConfig(level=logging.INFO)
    activate(config)
    jobs.ensure_configured(config)
    next_sweep = 0.0
    with jobs.holding(config):  # one Redis connection for the process's life
        while os.getppid() == parent_pid:
            _safely(lambda: jobs.relay_pending(config), "outbox relay")
            if time.monotonic() >= next_sweep:
                # Backstop for lost timed work, SLA clocks and the day-end carry-over (issue 6).
                _safely(lambda: sweeps.run_all(config), "sweeps")
                next_sweep = time.monotonic() + config.sweep_interval_seconds
            time.sleep(config.relay_interval_seconds)


def start_loops(config: Config) -> multiprocessing.Process:
    """Start the relay and sweep loops in a spawned process."""
    process = multiprocessing.get_context("spawn").Process(
        target=run_loops, args=(config, os.getpid()), name="dispatch-relay", daemon=True
    )
    process.start()
    return process


class DispatchWorker(Worker):
    """RQ's forking worker that remembers SIGTERM/SIGINT, telling a stop from a lost Redis."""

    stop_asked = False

    def request_stop(self, signum, frame):
        self.stop_asked = True
        super().request_stop(signum, frame)


def run_worker(config: Config) -> None:
    """Run the forking RQ worker; start it again after Redis went away, until asked to stop."""
    while True:
        worker = None
        try:
            worker = DispatchWorker(
                [jobs.queue_for(config)], connection=jobs.redis_connection(config)
            )
            worker.work(with_scheduler=True)
        except redis.RedisError:
            log.exception("worker lost Redis; starting again")
        # RQ's work() also returns when Redis times out; only a stop request (SIGTERM) ends us.
        if worker is not None and worker.stop_asked:
            return
        time.sleep(1)


def main() -> None:
    """Start the relay and sweep loops, then work the queue in the foreground."""
    logging.basicConfig(level=logging.INFO)
    install_log_redaction()  # phones masked, link tokens removed, as in the web app
    config = load_config()
    activate(config)
    jobs.ensure_configured(config)
    loops = start_loops(config)
    worker_pid = os.getpid()

    def keep_loops(signum, frame) -> None:
        # A relay killed on its own (OOM, kill -9) is started again; work horses ignore this.
        nonlocal loops
        if os.getpid() == worker_pid and not loops.is_alive():
            log.warning(
                "relay and sweeps process ended (exit %s); starting it again", loops.exitcode
            )
            loops = start_loops(config)

    signal.signal(signal.SIGCHLD, keep_loops)
    try:
        with jobs.holding(config):  # the worker's Redis link; its work horses use the job's
            run_worker(config)
    finally:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        loops.terminate()


if __name__ == "__main__":
    main()
