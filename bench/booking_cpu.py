"""Where one booking's time goes: sequential bookings through the app, counted and profiled.

    nice -n 10 .venv/bin/python -m bench.booking_cpu [--bookings 60] [--profile]

Starts from the booking bench's last load (`python -m bench.booking` first; the database is
recreated from its template, as `--reuse` does) and books spare requests one after another
through Flask's test client, as the HTTP bench's clients do (random windows of the loaded days,
auto-assigned), so no load generator and no other booking share the cores. For each booking it
takes the wall time, the CPU time of this process, the SQL statements and the time spent in
them (from the cursor's start to its end, so a statement's wait for PostgreSQL counts there);
PostgreSQL's own CPU is the server's (`pg_stat_statements` where it is installed). With
`--profile`, cProfile's table (CPU time) of the timed bookings goes to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections import Counter

from sqlalchemy import event

from bench.booking import _booking, _reload, _windows
from dispatch.app import create_app
from dispatch.db import db

WARM_UP = 5  # the first bookings build the kept days; they are not counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="cProfile table to stderr")
    parser.add_argument("--sort", default="cumulative", help="the table's order (tottime...)")
    parser.add_argument("--statements", action="store_true", help="each statement's kind")
    args = parser.parse_args()
    config, loaded = _reload()
    app = create_app(config)
    client = app.test_client()
    reply = client.post(
        "/api/v1/auth/login", json={"username": "bench-dispatcher-0", "password": _password()}
    )
    headers = {"Authorization": f"Bearer {reply.get_json()['access_token']}"}
    rng = random.Random(7)
    windows = _windows(config, loaded.days)
    timer = _StatementTimer(app)
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for PostgreSQL
    rows, kinds = [], Counter()
    requests = loaded.spare_requests[: args.bookings + WARM_UP]
    for k, request_id in enumerate(requests):
        _, skill, level, minutes = loaded.new_sites[k % len(loaded.new_sites)]
        body = _booking(rng.choice(windows), minutes, skill, level)
        counted = k >= WARM_UP
        timer.reset()
        began, used = time.perf_counter(), time.process_time()
        if counted and args.profile:
            profiler.enable()
        reply = client.post(f"/api/v1/requests/{request_id}/visits", json=body, headers=headers)
        if counted and args.profile:
            profiler.disable()
        wall, cpu = time.perf_counter() - began, time.process_time() - used
        if counted:
            rows.append((reply.status_code, wall, cpu, len(timer.seen), timer.seconds))
            if args.statements:
                kinds.update(f"{reply.status_code} {s}" for s in timer.seen)
    _summary(rows)
    if args.statements:
        for line, times in sorted(kinds.items()):
            print(f"{times:4d} x {line}")
    if args.profile:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(args.sort).print_stats(70)


def _password() -> str:
    from bench.booking import PASSWORD

    return PASSWORD


class _StatementTimer:
    """Count the app engine's statements and the time from each one's start to its end."""

    def __init__(self, app) -> None:
        with app.app_context():
            engine = db.engine
        self.seen: list[str] = []
        self.seconds = 0.0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self.seen, self.seconds = [], 0.0

    def _before(self, _conn, _cursor, statement, *_rest) -> None:
        self._started = time.perf_counter()
        self.seen.append(" ".join(statement.split())[:70])

    def _after(self, *_args) -> None:
        self.seconds += time.perf_counter() - self._started


def _summary(rows) -> None:
    for status in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == status]
        wall = [r[1] * 1000 for r in mine]
        cpu = [r[2] * 1000 for r in mine]
        sql = [r[4] * 1000 for r in mine]
        count = [r[3] for r in mine]
        print(
            f"{status}: {len(mine)} bookings; wall p50 {statistics.median(wall):.1f} ms,"
            f" CPU of the app p50 {statistics.median(cpu):.1f} ms"
            f" (mean {statistics.mean(cpu):.1f}),"
            f" in SQL p50 {statistics.median(sql):.1f} ms; statements p50"
            f" {statistics.median(count):.0f} (max {max(count)})"
        )


if __name__ == "__main__":
    main()
