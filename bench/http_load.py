"""HTTP load for the benchmarks: many clients sending a fixed list of calls, and what it cost.

`wrk` (the Debian package, found on PATH; the bench never installs it) sends the calls when it
is there: a C event loop whose own CPU is a small share of what it measures. Without it,
Python threads with one keep-alive connection each send them (their CPU shares the cores with
the server's and is reported beside it). Either way each client takes every n-th call of the
list, so each call goes exactly once, and the statuses are counted.

While the load runs, the CPU time (user + system, from /proc) of the server's processes, of
PostgreSQL's (all of the local server's backends, other sessions' work included) and of the
client is taken, so a figure can be read as CPU per answer as well as answers per second.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Call:
    """One HTTP call: method, path, bearer token and JSON body (None: no body)."""

    method: str
    path: str
    token: str
    body: dict | None = None


@dataclass(frozen=True)
class Cpu:
    """CPU seconds spent while the load ran, by whom."""

    server: float
    database: float
    client: float

    def per(self, count: int) -> str:
        """CPU milliseconds per answer, by whom."""
        if not count:
            return "no answers"
        return (
            f"CPU per answer: server {self.server * 1000 / count:.1f} ms, PostgreSQL"
            f" {self.database * 1000 / count:.1f} ms, client {self.client * 1000 / count:.1f} ms"
        )


@dataclass(frozen=True)
class Result:
    counts: Counter
    elapsed: float
    client: str  # which load generator sent the calls
    cpu: Cpu


def run(
    base: str,
    calls: list[Call],
    clients: int,
    seconds: float,
    server_pid: int,
    *,
    use_wrk: bool = True,
) -> Result:
    """Send `calls` with `clients` concurrent clients (at most `seconds`); count the answers.

    wrk sends them when it is on PATH (and `use_wrk`), Python threads otherwise.
    """
    server_before, database_before = _tree_cpu(server_pid), _postgres_cpu()
    if use_wrk and shutil.which("wrk"):
        counts, elapsed, client_cpu = _with_wrk(base, calls, clients, seconds)
        kind = "wrk"
    else:
        used = time.process_time()
        counts, elapsed = _with_threads(base, calls, clients, seconds)
        client_cpu, kind = time.process_time() - used, "python threads (keep-alive)"
    cpu = Cpu(_tree_cpu(server_pid) - server_before, _postgres_cpu() - database_before, client_cpu)
    return Result(counts, elapsed, kind, cpu)


# --- wrk -------------------------------------------------------------------------------------

# Each wrk thread takes every n-th call; a connection asks `delay` before each request, so a
# thread whose calls are all sent parks its connections, and stops once all are answered.
_LUA = r"""
local calls = {%(calls)s}
local threads, next_id = {}, 1
local mine, reserved, sent, answered = {}, 0, 0, 0
statuses = {}  -- global: done() reads it from each thread

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local every = tonumber(args[1])
  for i = id, #calls, every do mine[#mine + 1] = calls[i] end
  if #mine == 0 then finish() end
end

function finish()
  io.write("finished\n")
  io.flush()
  wrk.thread:stop()
end

function delay()
  if reserved >= #mine then return 86400000 end
  reserved = reserved + 1
  return 0
end

function request()
  -- wrk calls this once before the run to check it: nothing is reserved then
  if sent >= reserved then return wrk.format("GET", "/health") end
  sent = sent + 1
  local c = mine[sent]
  local headers = {["Authorization"] = "Bearer " .. c[3]}
  if c[4] then headers["Content-Type"] = "application/json" end
  return wrk.format(c[1], c[2], headers, c[4])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  if answered >= #mine then finish() end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %%d %%d\n", status, count))
    end
  end
  io.write(string.format("duration_us %%d\n", summary.duration))
end
"""


def _lua_text(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII text is a Lua string literal too


def _lua_call(call: Call) -> str:
    body = _lua_text(json.dumps(call.body)) if call.body is not None else "nil"
    fields = (_lua_text(call.method), _lua_text(call.path), _lua_text(call.token), body)
    return "{" + ", ".join(fields) + "}"


def _with_wrk(base: str, calls: list[Call], clients: int, seconds: float):
    threads = min(2, clients)
    script = _LUA % {"calls": ",\n".join(map(_lua_call, calls))}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.lua"
        path.write_text(script, encoding="utf-8")
        before = os.times()
        began = time.perf_counter()
        process = subprocess.Popen(
            [
                "wrk",
                f"-t{threads}",
                f"-c{clients}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "120s",
                "-s",
                str(path),
                base,
                "--",
                str(threads),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # wrk runs for its whole -d unless interrupted: once every thread has had all its
        # answers, the run is over (its summary and done() still come after the interrupt).
        finished, elapsed, lines = 0, None, []
        for line in process.stdout:
            lines.append(line)
            finished += line.strip() == "finished"
            if finished == threads and elapsed is None:
                elapsed = time.perf_counter() - began
                process.send_signal(signal.SIGINT)
        _, errors_text = process.communicate()
        after = os.times()
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed ({process.returncode}): {errors_text}")
    output = "".join(lines)
    client_cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    counts: Counter = Counter()
    for status, count in re.findall(r"^status (\d+) (\d+)$", output, re.M):
        counts[int(status)] += int(count)
    if sum(counts.values()) < len(calls):
        counts["no answer"] += len(calls) - sum(counts.values())
    if elapsed is None:  # some calls were never answered: the whole -d
        elapsed = int(re.search(r"^duration_us (\d+)$", output, re.M).group(1)) / 1e6
    return counts, elapsed, client_cpu


# --- Python threads --------------------------------------------------------------------------


def _with_threads(base: str, calls: list[Call], clients: int, seconds: float):
    host, port = base.removeprefix("http://").split(":")

    def work(k: int, deadline: float, counts: Counter) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            for call in calls[k::clients]:
                if time.monotonic() > deadline:
                    break
                counts[_send(connection, call)] += 1
        finally:
            connection.close()

    return run_clients(work, clients, seconds)


def _send(connection: http.client.HTTPConnection, call: Call):
    body = json.dumps(call.body).encode() if call.body is not None else None
    headers = {"Authorization": f"Bearer {call.token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(call.method, call.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        connection.close()  # the next call opens a new one
        return "no answer"  # counted, so a slow server shows in the figures


def run_clients(
    work: Callable[[int, float, Counter], None], clients: int, seconds: float
) -> tuple[Counter, float]:
    """Run `work(k, deadline, counts)` in `clients` threads started together."""
    counts: Counter = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(k: int) -> None:
        mine: Counter = Counter()
        barrier.wait()
        work(k, deadline[0], mine)
        with lock:
            counts.update(mine)

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds
    began = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(seconds + 150)
    return counts, time.perf_counter() - began


# --- CPU from /proc --------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) "


def _cpu_of(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _processes() -> list[tuple[int, list[str]]]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            found.append((int(entry), fields))
    return found


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process and its children (gunicorn's master and workers)."""
    return sum(
        _cpu_of(fields) for pid, fields in _processes() if pid == root or int(fields[1]) == root
    )


def _postgres_cpu() -> float:
    """CPU seconds of the local PostgreSQL server's processes (0 where /proc cannot show them)."""
    total = 0.0
    for pid, fields in _processes():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "postgres":
                total += _cpu_of(fields)
        except OSError:
            continue
    return total
