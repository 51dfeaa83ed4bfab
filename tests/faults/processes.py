"""Real processes for the fault tests: a Redis server of the test's own and the worker."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import fields
from datetime import time as clock_time
from pathlib import Path

import psutil
import redis

from dispatch.config import PROJECT_ROOT, Config

REDIS_SERVER = "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else "redis-server"
WORKER_DB_APP = "dispatch-worker"  # application_name of the worker's PostgreSQL connections


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.1) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class RedisServer:
    """A redis-server on a free port, without persistence: a restart starts empty."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        assert wait_until(lambda: _pings(client), 10), "own redis-server did not start"

    def stop(self) -> None:
        """Kill this server (and only this one), as a crash would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


def config_env(config: Config) -> dict[str, str]:
    """Return the environment variables that make `load_config()` rebuild `config`."""
    env, defaults = {}, Config()
    for f in fields(Config):
        value = getattr(config, f.name)
        if f.name == "extra" or value == getattr(defaults, f.name):
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, clock_time):
            value = value.strftime("%H:%M")
        env[f.name.upper()] = str(value)
    return env


class WorkerProcess:
    """`python -m dispatch.worker` as deployed: forking RQ worker, scheduler, relay and sweeps."""

    def __init__(self, config: Config, log_path: Path) -> None:
        self.env = os.environ | config_env(config)
        separator = "&" if "?" in config.database_url else "?"
        name = f"application_name={WORKER_DB_APP}"
        self.env["DATABASE_URL"] = f"{config.database_url}{separator}{name}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dispatch.worker"],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    def _tree(self) -> list[psutil.Process]:
        try:
            parent = psutil.Process(self.process.pid)
            return [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        """SIGKILL the worker, its work horse, scheduler and relay: a crash of the machine."""
        processes = self._tree()
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        psutil.wait_procs(processes, timeout=10)
        self.process.wait(10)

    def stop(self) -> None:
        """Ask for a warm shutdown; kill what is left after a few seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        processes = self._tree()
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(8)
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(processes, timeout=10)

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""
