"""Day board benchmark (issue 12): the data of one region's day, 50 technicians, 500 visits.

    nice -n 10 .venv/bin/python -m bench.dayboard

Loads `bench.booking`'s first Shanghai field day through the services (50 technicians, 500
visits booked, planned by the routing service and accepted) into its own PostgreSQL database,
then times, in the same run and on the same data:

- `board`: `dispatch.dayboard.service.board`, the function behind GET /api/v1/dayboard;
- `http`: the endpoint itself through the app (serialisation, ETag, auth included);
- `http 304`: the endpoint polled with a matching If-None-Match, as the console polls;
- `floor` (baseline): one plain SQL read of the same visit rows, nothing shaped; the ratio
  board/floor is what shaping the day costs over fetching it;
- `lazy` (baseline): the same day read the obvious ORM way (each visit's request, site,
  customer and stop loaded on first touch); the ratio lazy/board is what eager reading saves.

Prints p50/p95 in milliseconds and the ratios; writes bench/results/dayboard.txt.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock
from types import SimpleNamespace

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bench import booking as field
from dispatch.actors import Actor
from dispatch.api.base import app_config
from dispatch.app import create_app
from dispatch.config import PROJECT_ROOT
from dispatch.customers.models import Site
from dispatch.dayboard import service
from dispatch.db import db
from dispatch.intake.models import ServiceRequest
from dispatch.visits.models import Visit

RESULTS = PROJECT_ROOT / "bench" / "results" / "dayboard.txt"
field.DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/dispatch_bench_dayboard"
field.RESULTS = RESULTS
TARGET_P95_MS = 300.0


def _ms(run, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18]


def _floor(session: Session, region_id: int, start: datetime, end: datetime) -> None:
    session.execute(
        text(
            "SELECT v.*, s.lat, s.lon, s.address, c.name FROM visits v"
            " JOIN route_stops r ON r.visit_id = v.id"
            " JOIN service_requests q ON q.id = v.request_id"
            " JOIN sites s ON s.id = q.site_id JOIN customers c ON c.id = q.customer_id"
            " WHERE s.region_id = :region AND v.window_start >= :start AND v.window_start < :end"
        ),
        {"region": region_id, "start": start, "end": end},
    ).all()


def _lazy(session: Session, region_id: int, start: datetime, end: datetime) -> None:
    session.expunge_all()  # nothing kept from the previous round
    visits = session.scalars(
        select(Visit)
        .join(ServiceRequest)
        .join(Site, ServiceRequest.site_id == Site.id)
        .where(Site.region_id == region_id, Visit.window_start >= start, Visit.window_start < end)
    ).all()
    touched = [
        (v.request.site.lat, v.request.customer.name, v.route_stop.planned_start, v.technician)
        for v in visits
    ]
    assert len(touched) == len(visits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--plan-seconds", type=float, default=9.0)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    report = field.Report()
    config = field._prepare()
    day = datetime.now(field.TZ).date() + timedelta(days=1)
    load_args = SimpleNamespace(
        seed=args.seed,
        technicians=args.technicians,
        visits=args.visits,
        searches=0,
        later_visits=0,
        bookings=0,
        plan_seconds=args.plan_seconds,
    )
    began = time.perf_counter()
    loaded = field.load(config, load_args, [day])
    report(
        f"day board bench: {args.technicians} technicians, {args.visits} visits on {day}"
        f" (seed {args.seed}), loaded and planned in {time.perf_counter() - began:.0f} s"
    )
    for line in loaded.plans:
        report(line)
    app = create_app(config)
    region = loaded.region_id
    actor = Actor(kind="user", id=1, role="dispatcher", region_ids=(region,))
    start = datetime.combine(day, clock.min, field.TZ)
    end = start + timedelta(days=1)
    with app.app_context():
        session = db.session
        board = service.board(session, actor=actor, config=app_config(), region_id=region, day=day)
        report(
            f"board: {len(board['technicians'])} technicians, {len(board['visits'])} visits,"
            f" {len(board['tray']['unassigned'])} unassigned,"
            f" {sum(len(t['items']) for t in board['technicians'])} timeline items"
        )
        timed = {
            "board": _ms(
                lambda: service.board(
                    session, actor=actor, config=app_config(), region_id=region, day=day
                ),
                args.rounds,
            ),
            "floor": _ms(lambda: _floor(session, region, start, end), args.rounds),
            "lazy": _ms(lambda: _lazy(session, region, start, end), args.rounds),
        }
        session.rollback()
    client = app.test_client()
    token = _token(client)
    path = f"/api/v1/dayboard?region_id={region}&day={day.isoformat()}"
    headers = {"Authorization": f"Bearer {token}"}
    first = client.get(path, headers=headers)
    assert first.status_code == 200, first.get_json()
    etag = first.headers["ETag"]
    timed["http"] = _ms(lambda: client.get(path, headers=headers), args.rounds)
    polled = headers | {"If-None-Match": etag}
    assert client.get(path, headers=polled).status_code == 304
    timed["http 304"] = _ms(lambda: client.get(path, headers=polled), args.rounds)
    report(f"{'what':<10} {'p50 ms':>8} {'p95 ms':>8}")
    for name, times in timed.items():
        report(f"{name:<10} {statistics.median(times):>8.1f} {_p95(times):>8.1f}")
    p95 = {name: _p95(times) for name, times in timed.items()}
    report(
        f"ratios (p95): board/floor {p95['board'] / p95['floor']:.1f}x,"
        f" lazy/board {p95['lazy'] / p95['board']:.1f}x,"
        f" http/board {p95['http'] / p95['board']:.2f}x"
    )
    verdict = "meets" if p95["http"] <= TARGET_P95_MS else "MISSES"
    report(f"target: p95 server time <= {TARGET_P95_MS:.0f} ms over HTTP: {verdict}")
    report.save()


def _token(client) -> str:
    """Log in as the bench's first dispatcher (serves the bench region)."""
    response = client.post(
        "/api/v1/auth/login",
        json={"username": "bench-dispatcher-0", "password": field.PASSWORD},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


if __name__ == "__main__":
    main()
