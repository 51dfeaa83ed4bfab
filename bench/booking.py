"""Booking benchmark: slot search and concurrent booking over HTTP on the Shanghai field days.

    nice -n 10 .venv/bin/python -m bench.booking

Loads five days for 50 technicians into PostgreSQL: day 1 is exactly `bench.field_day`'s
500-visit day (more work than the fleet can do), days 2-5 hold 250 further draws of the same
generator each, so customers booking ahead still find room. Everything goes through the
services: requests are registered, visits booked for the planner, each day planned by the
routing service and accepted. Then it times `free_windows` for new requests,
and books over HTTP against gunicorn with 50 concurrent clients: `wrk` when it is on PATH
(`apt-get install wrk`; the bench installs nothing), else Python threads with keep-alive
connections (`bench.http_load`), reporting the CPU per answer of gunicorn, PostgreSQL and the
client beside the rates. Writes bench/results/booking.txt.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import redis
import time_machine
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from bench import http_load
from bench.synthetic_day import HOUR, point, technician, visit
from dispatch import schema
from dispatch.actors import SYSTEM, Actor
from dispatch.booking import rules
from dispatch.booking import service as booking
from dispatch.config import PROJECT_ROOT, Config, activate
from dispatch.customers import service as customers
from dispatch.customers.geocoding import FakeGeocoder
from dispatch.customers.models import Site
from dispatch.db import db, session_scope
from dispatch.intake import service as intake
from dispatch.regions import service as regions
from dispatch.routing import service as routing
from dispatch.schedule.service import Need, free_windows
from dispatch.technicians import service as technicians
from dispatch.users import service as users

# BENCH_DATABASE_URL / BENCH_REDIS_URL point the bench elsewhere (both are recreated!).
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/dispatch_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
TZ = ZoneInfo("Asia/Shanghai")
PASSWORD = "bench-password-123"
CLIENTS = 50
RESULTS = PROJECT_ROOT / "bench" / "results" / "booking.txt"
LOG = Path("/tmp/bench_booking_gunicorn.log")
LOADED = Path("/tmp/bench_booking_loaded.json")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STARTUP_SECONDS = 180  # gunicorn's first answer on a fresh clone of a busy machine
HEALTH_TIMEOUT_S = 20
HOT_MINUTES = 150  # longer than a 2-hour window: only one such visit fits in it


@dataclass
class Loaded:
    """What the load made: the region's ids and the requests kept for the timed parts."""

    region_id: int
    technician_ids: list[int]
    skills: dict[int, dict[str, int]]
    days: list[date]
    new_sites: list[tuple[int, str, int, int]] = field(default_factory=list)  # site, skill...
    spare_requests: list[int] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    customers: int = 0  # numbers customers' names and phones


class Report:
    """Print figures as they come and keep them for the results file."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)

    def save(self) -> None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(self.lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=5, help="loaded days, from tomorrow")
    parser.add_argument("--visits", type=int, default=500, help="visits on the first day")
    parser.add_argument(
        "--later-visits", type=int, default=250, help="visits on each later day (room to book)"
    )
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--bookings", type=int, default=400, help="booking attempts over HTTP")
    parser.add_argument("--booking-seconds", type=float, default=60.0, help="booking budget")
    parser.add_argument("--plan-seconds", type=float, default=9.0, help="planner limit a day")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (-w)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads a process")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk",
        help="HTTP load by wrk (when on PATH; else Python threads) or by Python threads",
    )
    parser.add_argument("--search-seconds", type=float, default=60.0, help="slot search budget")
    parser.add_argument("--profile", action="store_true", help="cProfile ten slot searches")
    parser.add_argument(
        "--reuse", action="store_true", help="start again from the last load (same day only)"
    )
    args = parser.parse_args()
    report = Report()
    first_day = datetime.now(TZ).date() + timedelta(days=1)
    began = time.perf_counter()
    if args.reuse:
        config, loaded = _reload()
    else:
        config = _prepare()
        loaded = load(config, args, [first_day + timedelta(days=d) for d in range(args.days)])
        _keep(loaded)
    report(
        f"booking bench: {args.technicians} technicians; {args.days} days from {first_day}:"
        f" {args.visits} visits on the first, {args.later_visits} on each later one;"
        f" seed {args.seed}; {'copied from the last load' if args.reuse else 'loaded'}"
        f" in {time.perf_counter() - began:.0f} s"
    )
    for line in loaded.plans:
        report(line)
    time_slot_search(config, loaded, args, report)
    over_http(config, loaded, args, report)
    report.save()


def _prepare() -> Config:
    """Recreate the bench database and Redis db, and point the app's code at them."""
    url = make_url(DATABASE_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = _config()
    activate(config)
    db.configure(DATABASE_URL)
    schema.upgrade(DATABASE_URL)
    return config


def _template() -> str:
    return f"{make_url(DATABASE_URL).database}_loaded"


def _keep(loaded: Loaded) -> None:
    """Copy the loaded database as a template, and what was loaded, for `--reuse`."""
    url = make_url(DATABASE_URL)
    db.engine.dispose()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_template()}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{_template()}" TEMPLATE "{url.database}"'))
    admin.dispose()
    state = dataclasses.asdict(loaded) | {"days": [d.isoformat() for d in loaded.days]}
    LOADED.write_text(json.dumps(state), encoding="utf-8")


def _reload() -> tuple[Config, Loaded]:
    """Recreate the bench database from the template `_keep` made."""
    url = make_url(DATABASE_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}" TEMPLATE "{_template()}"'))
    admin.dispose()
    redis.Redis.from_url(REDIS_URL).flushdb()
    config = _config()
    activate(config)
    db.configure(DATABASE_URL)
    state = json.loads(LOADED.read_text(encoding="utf-8"))
    state["days"] = [date.fromisoformat(d) for d in state["days"]]
    state["skills"] = {int(k): v for k, v in state["skills"].items()}
    state["new_sites"] = [tuple(s) for s in state["new_sites"]]
    return config, Loaded(**state)


def _config() -> Config:
    return Config(
        database_url=DATABASE_URL,
        redis_url=REDIS_URL,
        secret_key="bench-secret-key-0123456789-abcdefghijkl",
        sms_gateway="console",
        password_hash_method="pbkdf2:sha256:1000",  # 100 logins should not cost the bench
        login_rate_limit="10000/minute",  # 50 clients log in from one address
        access_token_minutes=60,
    ).validate()


def _server_env(config: Config) -> dict:
    names = ("database_url", "redis_url", "secret_key", "sms_gateway", "login_rate_limit")
    return os.environ | {n.upper(): str(getattr(config, n)) for n in names}


# --- Loading through the services -------------------------------------------------------------


def load(config: Config, args, days: list[date]) -> Loaded:
    """Load technicians, customers, requests and planned visits for `days`."""
    rng = random.Random(args.seed)
    n_tech, n_visits, n_new = args.technicians, args.visits, args.searches
    # The draw order of bench.field_day, so the first day is its day.
    points = [point(rng) for _ in range(n_tech + n_visits + n_new)]
    vehicles = [technician(rng, k) for k in range(n_tech)]
    tasks = [[visit(rng, 1000 + k, n_tech + k) for k in range(n_visits)]]
    extra = [visit(rng, 5000 + k, n_tech + n_visits + k) for k in range(n_new)]
    for _ in days[1:]:
        base = len(points)
        points += [point(rng) for _ in range(args.later_visits)]
        tasks.append([visit(rng, 1000 + k, base + k) for k in range(args.later_visits)])
    with session_scope() as session:
        loaded, actor = _staff_and_technicians(session, config, points, vehicles, days)
    for day, day_tasks in zip(days, tasks, strict=True):
        _load_day(config, actor, loaded, points, day, day_tasks)
        loaded.plans.append(_plan_day(config, actor, loaded.region_id, day, args.plan_seconds))
    base, n_spare = len(points), args.bookings + CLIENTS  # the hot window takes one a client
    points += [point(rng) for _ in range(n_spare)]
    spare = extra + [visit(rng, 9000 + k, base + k) for k in range(n_spare)]
    _load_spare(actor, loaded, points, spare, n_new)
    return loaded


def _staff_and_technicians(session, config, points, vehicles, days) -> tuple[Loaded, Actor]:
    lat = [p[0] for p in points]
    lon = [p[1] for p in points]
    margin = 0.02
    ring = [
        [min(lon) - margin, min(lat) - margin],
        [max(lon) + margin, min(lat) - margin],
        [max(lon) + margin, max(lat) + margin],
        [min(lon) - margin, max(lat) + margin],
    ]
    region = regions.create_region(
        session=session,
        actor=SYSTEM,
        code="SH-BENCH",
        name="上海 bench",
        timezone="Asia/Shanghai",
        polygon=ring,
        neighbour_ids=[],
    )
    dispatcher = None
    for k in range(CLIENTS):
        user = users.create_user(
            session=session,
            actor=SYSTEM,
            username=f"bench-dispatcher-{k}",
            password=PASSWORD,
            full_name=f"Bench dispatcher {k}",
            role="dispatcher",
            region_ids=[region.id],
        )
        dispatcher = dispatcher or user
    actor = Actor(kind="user", id=dispatcher.id, role="dispatcher", region_ids=(region.id,))
    loaded = Loaded(region.id, [], {}, days)
    for k, vehicle in enumerate(vehicles):
        tech = technicians.create_technician(
            session=session,
            actor=actor,
            phone_region="CN",
            username=f"bench-tech-{k}",
            password=PASSWORD,
            **_technician_row(region.id, k, vehicle, points[vehicle.start_index]),
        )
        loaded.technician_ids.append(tech.id)
        loaded.skills[tech.id] = tech.skills
    return loaded, actor


def _technician_row(region_id: int, k: int, vehicle, home: tuple[float, float]) -> dict:
    shift = [_hhmm(vehicle.shift.start), _hhmm(vehicle.shift.end)]
    return {
        "name": f"技师 {k + 1:02d}",
        "phone": f"139{k + 1:08d}",
        "region_id": region_id,
        "extra_region_ids": [],
        "home_lat": home[0],
        "home_lon": home[1],
        "skills": {_skill(p): level for p, level in vehicle.skills},
        "working_hours": {day: shift for day in WEEK},  # the synthetic day is every day
        "lunch_minutes": 45,
        # The generator's lunch may start 11:30-13:30; the row holds when lunch must end.
        "lunch_latest": clock(14, 15),
        "max_visits_per_day": vehicle.max_tasks,
    }


def _hhmm(seconds: int) -> str:
    return f"{seconds // HOUR:02d}:{seconds % HOUR // 60:02d}"


def _skill(product: int) -> str:
    return f"product-{product}"


def _task_skill(task) -> tuple[str, int]:
    ((product, level),) = task.skills
    return _skill(product), level


def _new_request(session, actor, loaded: Loaded, where, task) -> tuple[int, int]:
    """Register a customer, a site and a repair request at `where`; return (request, site)."""
    loaded.customers += 1
    number = loaded.customers
    customer = customers.create_customer(
        session=session,
        actor=actor,
        phone_region="CN",
        name=f"客户 {number}",
        phone=f"138{number:08d}",
        language="zh-CN",
        consent={"channel": "phone", "notice_version": "2026-01"},
    )
    session.flush()
    site = customers.add_site(
        session=session,
        actor=actor,
        geocoder=FakeGeocoder(),
        customer_id=customer.id,
        address=f"上海市 bench 路 {number} 号",
        lat=where[0],
        lon=where[1],
    )
    session.flush()
    request = intake.register_request(
        session=session,
        actor=actor,
        timezone="Asia/Shanghai",
        customer_id=customer.id,
        site_id=site.id,
        request_type="repair",
        channel="phone",
        category="appliance",
        service_class="A",
        priority="high" if task.priority else "medium",
        product_model="KX-2200",
        fault_description="不制冷",
    )
    session.flush()
    assert site.region_id == loaded.region_id, "the region's polygon must hold every point"
    return request.id, site.id


def _load_day(config, actor, loaded: Loaded, points, day: date, tasks) -> None:
    """Register the day's requests and book their windows for the planner to assign."""
    midnight = datetime.combine(day, clock.min, TZ)
    for start in range(0, len(tasks), 50):
        with session_scope() as session:
            for task in tasks[start : start + 50]:
                where = points[task.location_index]
                request_id, _ = _new_request(session, actor, loaded, where, task)
                skill, level = _task_skill(task)
                window = task.windows[0]
                booking.book(
                    session=session,
                    actor=actor,
                    config=config,
                    request_id=request_id,
                    window_start=midnight + timedelta(seconds=window.start),
                    window_end=midnight + timedelta(seconds=window.end),
                    duration_minutes=task.service // 60,
                    required_skill=skill,
                    required_level=level,
                    auto_assign=False,
                )
        _progress(f"day {day}: {start + 50}/{len(tasks)} requests booked for the planner")


def _plan_day(config, actor, region_id: int, day: date, seconds: float) -> str:
    """Plan the day with the routing service, as the worker would, and accept the plan."""
    with session_scope() as session:
        plan = routing.request_plan(
            session=session, actor=actor, region_id=region_id, day=day, time_limit_s=seconds
        )
    _progress(f"day {day}: planning ({seconds:g} s)")
    began = time.perf_counter()
    with session_scope() as session:
        routing.run_plan(session, config=config, plan_id=plan.id)
    solve_s = time.perf_counter() - began
    with session_scope() as session:
        accepted = routing.accept_plan(session=session, actor=actor, plan_id=plan.id)
        result = accepted.result
    planned = sum(len(r["stops"]) for r in result["routes"])
    _progress("")
    return (
        f"  {day}: planned {planned}, unassigned {len(result['unassigned'])},"
        f" {len(result['routes'])} routes, {result['solver']} {solve_s:.1f} s"
    )


def _load_spare(actor, loaded: Loaded, points, tasks, n_new: int) -> None:
    """Register the requests that slot search and HTTP booking will use (not booked yet)."""
    for start in range(0, len(tasks), 50):
        with session_scope() as session:
            for k, task in enumerate(tasks[start : start + 50], start=start):
                where = points[task.location_index]
                request_id, site_id = _new_request(session, actor, loaded, where, task)
                skill, level = _task_skill(task)
                if k < n_new:
                    loaded.new_sites.append((site_id, skill, level, task.service // 60))
                else:
                    loaded.spare_requests.append(request_id)
        _progress(f"spare requests: {min(start + 50, len(tasks))}/{len(tasks)}")
    _progress("")


def _progress(line: str) -> None:
    print(f"\r{line:<78}", end="" if line else "\r", flush=True, file=sys.stderr)


# --- Slot search ---------------------------------------------------------------------------


def time_slot_search(config, loaded: Loaded, args, report) -> None:
    """Time free_windows for new requests, each in a fresh session as an API call would be.

    As the API serves it (inside the app, which keeps each built region-day while nothing on
    it changes), and cold (a script or the worker: every day built afresh).
    """
    from dispatch.app import create_app

    app = create_app(config)
    # Midnight before the first loaded day: the days searched are exactly the loaded ones.
    at = datetime.combine(loaded.days[0], clock.min, TZ)
    runs = (
        ("", app, len(loaded.days), args.search_seconds),
        ("", app, 1, args.search_seconds / 3),
        (" cold (no app: every day built afresh)", None, len(loaded.days), args.search_seconds / 3),
    )
    with time_machine.travel(at, tick=True):
        for label, served_by, days, budget in runs:
            timings, offered, cpu = _searches(config, loaded, days, budget, served_by)
            windows = len(_windows(config, loaded.days[:days]))
            ms, cpu = sorted(timings), sorted(cpu)
            report(
                f"slot search{label}, {days} day(s) = {windows} windows, {len(ms)} new requests:"
                f" p50 {statistics.median(ms):.0f} ms, p95 {_p95(ms):.0f} ms, max {ms[-1]:.0f} ms"
                f" (target p95 <= 100 ms for 5 days); windows offered p50"
                f" {statistics.median(offered):.0f}/{windows}; CPU of this process p50"
                f" {statistics.median(cpu):.0f} ms, p95 {_p95(cpu):.0f} ms"
            )
        if args.profile:
            with app.app_context():
                _profile(config, loaded)


def _searches(config, loaded: Loaded, days: int, budget: float, app=None):
    timings, offered, cpu = [], [], []
    stop = time.monotonic() + budget
    for site_id, skill, level, minutes in loaded.new_sites:
        if time.monotonic() > stop:
            break
        began, used = time.perf_counter(), time.process_time()
        if app is None:
            found = _search(config, site_id, skill, level, minutes, days)
        else:
            with app.app_context():
                found = _search(config, site_id, skill, level, minutes, days)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - used) * 1000)  # what waiting for a core leaves out
        offered.append(len(found))
    return timings, offered, cpu


def _search(config, site_id, skill, level, minutes, days):
    with Session(bind=db.engine) as session:
        need = Need(site=session.get(Site, site_id), minutes=minutes, skill=skill, level=level)
        return free_windows(session, config=config, need=need, days=days)


def _profile(config, loaded: Loaded) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for site_id, skill, level, minutes in loaded.new_sites[:10]:
        _search(config, site_id, skill, level, minutes, len(loaded.days))
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)


def _windows(config, days: list[date]) -> list[tuple[datetime, datetime]]:
    return [
        w
        for day in days
        for w in rules.candidate_windows(
            day,
            "Asia/Shanghai",
            config.contact_window_start,
            config.contact_window_end,
            config.appointment_window_minutes,
        )
    ]


def _p95(ms: list[float]) -> float:
    return ms[max(0, int(0.95 * len(ms)) - 1)]


# --- Over HTTP -------------------------------------------------------------------------------


class Server:
    """gunicorn serving wsgi:app on a free loopback port, stopped on exit."""

    def __init__(self, config: Config, workers: int = 2, threads: int = 8) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = LOG.open("w")
        self.process = subprocess.Popen(
            [
                str(PROJECT_ROOT / ".venv" / "bin" / "gunicorn"),
                "-w",
                str(workers),
                "--threads",
                str(threads),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--no-control-socket",  # other servers on this machine own the default one
                "wsgi:app",
            ],
            cwd=PROJECT_ROOT,
            env=_server_env(config),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        try:
            return self._wait_until_up()
        except BaseException:
            self.__exit__()
            raise

    def _wait_until_up(self) -> Server:
        # On a fresh clone the first request imports and compiles the whole app (and a busy
        # machine makes that slower): each try waits long, and a timed-out try is tried again.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {LOG}")
            try:
                urllib.request.urlopen(f"{self.base}/health", timeout=HEALTH_TIMEOUT_S).close()
                return self
            except urllib.error.HTTPError:
                return self  # answering; 503 only says that no RQ worker runs here
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s; see {LOG}")

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _call(base: str, method: str, path: str, token: str | None = None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{base}{path}", data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return "no answer", None  # counted, so a slow server shows in the figures


def over_http(config: Config, loaded: Loaded, args, report) -> None:
    """Baseline GETs, random bookings and one hot window with 50 clients against gunicorn."""
    rng = random.Random(7)
    windows = _windows(config, loaded.days)
    with Server(config, args.workers, args.threads) as server:
        report(f"gunicorn -w {args.workers} --threads {args.threads}")
        tokens = [_login(server.base, k) for k in range(CLIENTS)]
        requests = list(loaded.spare_requests)
        hot_requests, requests = requests[:CLIENTS], requests[CLIENTS:]
        reads = [
            http_load.Call("GET", f"/api/v1/requests/{hot_requests[k]}", tokens[k])
            for _ in range(40)
            for k in range(CLIENTS)
        ]
        use_wrk = args.client == "wrk"
        got = http_load.run(server.base, reads, CLIENTS, 30, server.process.pid, use_wrk=use_wrk)
        baseline = got.counts[200] / got.elapsed
        report(
            f"baseline GET /api/v1/requests/{{id}}, {CLIENTS} clients ({got.client}):"
            f" {baseline:.0f} req/s ({dict(got.counts)} in {got.elapsed:.1f} s);"
            f" {got.cpu.per(sum(got.counts.values()))}"
        )
        bookings = []
        for i, request_id in enumerate(requests[: args.bookings]):
            _, skill, level, minutes = loaded.new_sites[i % len(loaded.new_sites)]
            body = _booking(rng.choice(windows), minutes, skill, level)
            path = f"/api/v1/requests/{request_id}/visits"
            bookings.append(http_load.Call("POST", path, tokens[i % CLIENTS], body))
        got = http_load.run(
            server.base,
            bookings,
            CLIENTS,
            args.booking_seconds,
            server.process.pid,
            use_wrk=use_wrk,
        )
        answers = sum(got.counts.values())
        report(
            f"booking POST /api/v1/requests/{{id}}/visits, {CLIENTS} clients ({got.client}),"
            f" random windows: {got.counts[201] / got.elapsed:.1f} bookings/s,"
            f" {answers / got.elapsed:.1f} answers/s ({dict(got.counts)} in {got.elapsed:.1f} s);"
            f" booking/GET ratio {answers / got.elapsed / baseline:.3f}; {got.cpu.per(answers)}"
        )
        _hot_window(config, server.base, loaded, tokens, hot_requests, report)
    report(f"overlapping reserved spans of one technician (SQL): {_overlaps()}")


def _login(base: str, k: int) -> str:
    status, body = _call(
        base,
        "POST",
        "/api/v1/auth/login",
        body={"username": f"bench-dispatcher-{k}", "password": PASSWORD},
    )
    if status != 200:
        raise RuntimeError(f"login {k} failed with {status}")
    return body["access_token"]


def _booking(window, minutes: int, skill: str, level: int, technician_id=None) -> dict:
    body = {
        "window_start": window[0].isoformat(),
        "window_end": window[1].isoformat(),
        "duration_minutes": minutes,
        "required_skill": skill,
        "required_level": level,
    }
    return body | ({"technician_id": technician_id} if technician_id else {})


def _hot_window(config, base, loaded: Loaded, tokens, hot_requests, report) -> None:
    """All clients book the same technician and window at once: exactly one may win."""
    tech_id, window = _free_hot_window(config, loaded, hot_requests[0])
    skill, level = next(iter(loaded.skills[tech_id].items()))

    def book(k, _deadline, counts) -> None:
        body = _booking(window, HOT_MINUTES, skill, level, tech_id)
        status, _ = _call(
            base, "POST", f"/api/v1/requests/{hot_requests[k]}/visits", tokens[k], body
        )
        counts[status] += 1

    counts, elapsed = http_load.run_clients(book, CLIENTS, 120)
    verdict = "ok" if counts[201] == 1 and counts[409] == CLIENTS - 1 else "FAILED"
    report(
        f"hot window: {CLIENTS} clients book technician {tech_id} at"
        f" {window[0].astimezone(TZ):%Y-%m-%d %H:%M} for {HOT_MINUTES} min at once:"
        f" {dict(counts)} in {elapsed:.1f} s -> {verdict}"
    )


def _free_hot_window(config, loaded: Loaded, request_id: int):
    """Find a technician and loaded-day window with room for one long visit now."""
    with Session(bind=db.engine) as session:
        site = intake.get_request(session, request_id, actor=SYSTEM).site
        for tech_id in loaded.technician_ids:
            need = Need(site=site, minutes=HOT_MINUTES, technician_id=tech_id)
            found = free_windows(session, config=config, need=need, days=len(loaded.days) + 1)
            if found:
                return tech_id, (found[0].window_start, found[0].window_end)
    raise RuntimeError("no technician has room for the hot window")


def _overlaps() -> int:
    with db.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM route_stops a JOIN route_stops b"
                " ON a.technician_id = b.technician_id AND a.visit_id < b.visit_id"
                " WHERE tstzrange(a.reserved_start, a.reserved_end)"
                " && tstzrange(b.reserved_start, b.reserved_end)"
            )
        ).scalar_one()


if __name__ == "__main__":
    main()
