"""Fault tests (issue 10 §3): a real worker process on PostgreSQL and a Redis of the test's own.

Each test gets its own redis-server on a free port, which it may flush, kill and restart; the
shared Redis is never touched. Intervals are short so recovery is quick; RECOVERY_SECONDS is the
bound docs/guarantees.md states for these settings.
"""

from __future__ import annotations

import pytest

from dispatch.config import activate
from tests.faults.processes import RedisServer, WorkerProcess

FAULT_SETTINGS = {
    "outbox_lease_seconds": 6.0,
    "sms_send_timeout_seconds": 2.0,
    "outbox_retry_seconds": "1,1,1,2,2,3,3,5,5,8,8",
    "relay_interval_seconds": 0.3,
    "sweep_interval_seconds": 1.0,
}


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(app, redis_server, tmp_path):
    """The test app, pointed at the test's own Redis and its own SMS record file."""
    shared = app.config["DISPATCH"]
    config = shared.with_overrides(
        redis_url=redis_server.url, sms_record_path=str(tmp_path / "sms.jsonl"), **FAULT_SETTINGS
    )
    app.config["DISPATCH"] = config
    activate(config)
    yield app
    app.config["DISPATCH"] = shared
    activate(shared)


@pytest.fixture
def start_worker(config, tmp_path):
    """Start `python -m dispatch.worker` with the test's settings (plus overrides)."""
    started: list[WorkerProcess] = []

    def start(**overrides) -> WorkerProcess:
        worker = WorkerProcess(config.with_overrides(**overrides), tmp_path / "worker.log")
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()
