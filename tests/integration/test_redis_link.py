"""The Redis connection hangs off its owner, never off module globals (DESIGN §7): the web app
keeps it in `app.extensions`, the worker holds one for its life; closing stops what it started."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace
from pathlib import Path

from dispatch import jobs


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_design_7_the_app_owns_its_redis_connection_in_its_extensions(app, config):
    link = app.extensions[jobs.EXTENSION]
    assert isinstance(link, jobs.RedisLink) and link is jobs.redis_link(app)
    with app.app_context():
        assert jobs.redis_connection(config) is link.client
        assert jobs.queue_for(config).connection is link.client
        link.client.set("review:link", "app")
    outside = jobs.redis_connection(config)  # a script outside the app: its own client
    assert outside is not link.client
    assert outside.get("review:link") == b"app"  # ... to the same Redis


def test_design_7_a_process_without_an_app_holds_one_link_and_closing_stops_its_server(
    config, tmp_path
):
    embedded = replace(config, redis_url="", instance_path=str(tmp_path))
    with jobs.holding(embedded) as link:
        assert jobs.redis_connection(embedded) is link.client
        assert jobs.redis_connection(embedded) is link.client  # the same one every time
        assert jobs.redis_connection(config) is not link.client  # another Redis: not this one
        link.client.set("held", "1")
        settings = json.loads((tmp_path / "redis.db.settings").read_text())
        pid = int(Path(settings["pidfile"]).read_text())
        assert _running(pid)
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid)  # the link started the embedded server, and stopped it
