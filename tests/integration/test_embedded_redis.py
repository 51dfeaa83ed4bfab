"""bin/run leaves no embedded redis-server behind when it stops."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

START_AND_ABANDON = (
    "import os\n"
    "from dispatch.config import load_config\n"
    "from dispatch import jobs\n"
    "jobs.redis_connection(load_config()).ping()\n"
    "os._exit(0)  # like a process killed without clean-up: the server stays\n"
)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_stop_embedded_redis_ends_the_server_a_killed_process_left_running(tmp_path):
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "FLASK_APP": "wsgi.py"}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", START_AND_ABANDON], env=env, check=True, timeout=60)
    settings = json.loads((tmp_path / "redis.db.settings").read_text())
    pid = int(Path(settings["pidfile"]).read_text())
    assert _running(pid)

    flask = Path(sys.executable).with_name("flask")
    out = subprocess.run(
        [str(flask), "stop-embedded-redis"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "embedded Redis stopped" in out.stdout
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid)
