"""Report timings at scale (issue 14): 1 M visits, 200 k requests, 50 k complaints, two years.

Builds its own PostgreSQL database (`dispatch_bench_reports`, recreated) with INSERT ... SELECT
generate_series (a few minutes), then times every report of `dispatch.reports` for one region
and one month (20 draws: p50/p95) and for all regions over a year (3 runs). Each timing is also
given as a ratio to a baseline measured in the same run on the same scope: one indexed
count of the visits completed in the period, the least any report must read.

    nice -n 10 .venv/bin/python -m bench.reports
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import dispatch.models  # noqa: F401 - every mapper configured (the reports join many)
from dispatch import schema
from dispatch.actors import Actor
from dispatch.customers.models import Site
from dispatch.db import db
from dispatch.intake.models import ServiceRequest
from dispatch.reports import (
    complaints,
    customers,
    management,
    quality,
    requests,
    satisfaction,
    sla,
    technicians,
)
from dispatch.reports.query import Scope, load_scope
from dispatch.reports.rules import ChurnRule
from dispatch.visits.models import Visit

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/dispatch_bench_reports"
RESULTS = Path(__file__).parent / "results"
END = datetime(2026, 12, 1, tzinfo=UTC)
START = END - timedelta(days=730)
REGIONS = 8
HEAD_OFFICE = Actor(kind="user", id=1, role="quality", label="bench")

# Fresh database: ids start at 1, so regions are 1..8, technicians 1..400 (region 1 + (id-1)%8),
# customers = sites = assets 1..100 000 (site region 1 + id%8).
GENERATE = [
    "SELECT setseed(0.42)",
    """INSERT INTO regions (code, name, timezone, checkin_radius_m, neighbour_ids, polygon)
       SELECT 'R' || g, 'Region ' || g, 'Asia/Shanghai', 300, '[]',
              json_build_array(json_build_array(121 + g * 0.2, 31.0),
                               json_build_array(121.2 + g * 0.2, 31.0),
                               json_build_array(121.2 + g * 0.2, 31.2),
                               json_build_array(121 + g * 0.2, 31.2))
       FROM generate_series(0, 7) g""",
    """INSERT INTO users (username, full_name, role, password_hash, region_ids, active,
                          created_at, failed_logins)
       SELECT CASE WHEN g = 0 THEN 'bench' ELSE 'tech' || g END, 'u' || g,
              CASE WHEN g = 0 THEN 'admin' ELSE 'technician' END, 'x', '[]', true, now(), 0
       FROM generate_series(0, 400) g""",
    """INSERT INTO technicians (user_id, name, phone, region_id, skills, certified, active)
       SELECT g + 1, 'Tech ' || g, '+8613900000000', 1 + (g - 1) % 8, '{}', true, true
       FROM generate_series(1, 400) g""",
    """INSERT INTO customers (name, phone, phone_index, tier, language, consent_channel,
                              consent_notice_version, consent_at, created_at, updated_at)
       SELECT 'C' || g, '+86138' || lpad(g::text, 8, '0'),
              md5('+86138' || lpad(g::text, 8, '0')), 'ordinary', 'zh-CN', 'phone',
              '2024-01', now(), now(), now()
       FROM generate_series(1, 100000) g""",
    """INSERT INTO sites (customer_id, address, lat, lon, region_id, created_at)
       SELECT g, 'addr', 31.0 + random() * 0.2, 121 + (g % 8) * 0.2 + random() * 0.2,
              1 + g % 8, now()
       FROM generate_series(1, 100000) g""",
    """INSERT INTO assets (customer_id, site_id, model)
       SELECT g, g, 'M-' || (g % 20) FROM generate_series(1, 100000) g""",
    """INSERT INTO service_requests (number, customer_id, site_id, asset_id, request_type,
            channel, category, service_class, priority, fault_description, status,
            registered_at, registrar_id, first_owner_id, owner_id)
       SELECT 'R' || g, c, c, c, CASE WHEN g % 7 = 0 THEN 'consultation' ELSE 'repair' END,
              (ARRAY['phone','web_form','sms_link','online_chat','walk_in'])[1 + g % 5],
              (ARRAY['appliance','electronics','hvac','plumbing','electrical'])[1 + g % 5],
              'C', (ARRAY['high','medium','low'])[1 + g % 3], 'fault', 'closed',
              %(start)s + random() * interval '730 days', 1, 1, 1
       FROM (SELECT g, 1 + floor(random() * 100000)::int AS c
             FROM generate_series(1, 200000) g) s""",
    # Six visits a job request (none for the consultations): about 1 M.
    """INSERT INTO visits (number, request_id, technician_id, window_start, window_end,
            duration_minutes, status, arrived_at, completed_at, created_at, version,
            required_level, priority)
       SELECT 'V' || g, r.id, 1 + r.site_id % 8 + 8 * floor(random() * 50)::int,
              w - interval '2 hours', w, 60,
              CASE WHEN g % 20 = 0 THEN 'cancelled' ELSE 'completed' END,
              CASE WHEN g % 20 = 0 THEN NULL
                   ELSE w - interval '90 minutes' + random() * interval '110 minutes' END,
              CASE WHEN g % 20 = 0 THEN NULL
                   ELSE w + interval '30 minutes' + random() * interval '90 minutes' END,
              r.registered_at + k * interval '3 days', 1, 1, 'medium'
       FROM (SELECT g, 1 + (g - 1) % 200000 AS rid, (g - 1) / 200000 AS k
             FROM generate_series(1, 1166667) g) s
       JOIN service_requests r ON r.id = s.rid AND r.id % 7 <> 0
       CROSS JOIN LATERAL (SELECT r.registered_at + (s.k * 3 + 1) * interval '1 day'
                                  + random() * interval '8 hours' AS w) t""",
    """INSERT INTO visit_field_records (visit_id, arrival_far_from_site, diagnosis, solution)
       SELECT id, false, 'fault ' || (id % 13), 'fixed' FROM visits""",
    """INSERT INTO appointments (visit_id, status, reschedule_count, confirmed_at)
       SELECT id, 'confirmed', 0, created_at + random() * interval '30 hours' FROM visits""",
    # The booking and answer clocks of each job request (APT-1, APT-12; plain 24 h here).
    """INSERT INTO request_clocks (request_id, booking_due_at, answer_due_at, answered_at,
            answered_late)
       SELECT r.id, r.registered_at + interval '24 hours', r.registered_at + interval '72 hours',
              a.at, coalesce(a.at > r.registered_at + interval '72 hours', false)
       FROM service_requests r
       LEFT JOIN (SELECT v.request_id, min(p.confirmed_at) AS at FROM visits v
                  JOIN appointments p ON p.visit_id = v.id GROUP BY v.request_id) a
              ON a.request_id = r.id
       WHERE r.request_type = 'repair'""",
    """INSERT INTO followups (visit_id, status, due_at, deadline_at, sent_at, answered_at,
            rating, quality, timeliness, attitude, problem_solved, answered_via)
       SELECT id, CASE WHEN a THEN 'answered' ELSE 'sent' END,
              completed_at + interval '2 hours', completed_at + interval '24 hours',
              completed_at + interval '2 hours' + random() * interval '30 hours',
              CASE WHEN a THEN completed_at + interval '5 hours' END,
              CASE WHEN a THEN r END, CASE WHEN a THEN r END, CASE WHEN a THEN 5 - r % 2 END,
              CASE WHEN a THEN greatest(r, 3) END, CASE WHEN a THEN r > 1 END,
              CASE WHEN a THEN 'link' END
       FROM (SELECT id, completed_at, random() < 0.8 AS a,
                    (ARRAY[1,2,3,4,4,5,5,5,5,5])[1 + floor(random() * 10)::int] AS r
             FROM visits WHERE status = 'completed' AND id % 10 < 7) v""",
    """INSERT INTO service_vouchers (number, visit_id, service_class, started_at, ended_at,
            service_content, problem, solution, parts, labour_minutes, fee_cents, status,
            issued_at)
       SELECT 'SV' || id, id, 'C', arrived_at, completed_at, 'repair', 'fault ' || (id % 11),
              'replaced', '[{"code": "P-1", "quantity": 1}]', 60, 0, 'archived', completed_at
       FROM visits WHERE status = 'completed' AND id % 2 = 0""",
    """INSERT INTO complaints (number, customer_id, region_id, technician_id, timezone, channel,
            category, nature, severity, priority, description, status, received_at,
            registered_at, received_outside_cs, first_owner_id, owner_id, escalation_level,
            resolved_at, followup_satisfied, cause)
       SELECT 'K' || g, c, 1 + c % 8, 1 + c % 8 + 8 * (g % 50), 'Asia/Shanghai', 'phone',
              (ARRAY['product_quality','service_attitude','delay','after_sales','price'])
                  [1 + g % 5],
              CASE WHEN g % 3 = 0 THEN 'hard' ELSE 'soft' END,
              CASE WHEN g % 33 = 0 THEN 'major' ELSE 'general' END,
              (ARRAY['high','medium','low'])[1 + g % 3], 'x',
              CASE WHEN resolved IS NULL THEN 'investigating' ELSE 'closed' END,
              received, received, false, 1, 1, 0, resolved,
              CASE WHEN resolved IS NOT NULL THEN random() < 0.8 END,
              CASE WHEN g % 5 < 3 THEN 'cause ' || (g % 37) END
       FROM (SELECT g, 1 + floor(random() * 100000)::int AS c, received,
                    CASE WHEN random() < 0.85
                         THEN received + random() * interval '100 hours' END AS resolved
             FROM (SELECT g, %(start)s + random() * interval '730 days' AS received
                   FROM generate_series(1, 50000) g) t) s""",
    """INSERT INTO complaint_clocks (complaint_id, name, started_at, due_at, met_at)
       SELECT id, 'resolution', received_at, received_at + interval '72 hours', resolved_at
       FROM complaints""",
]
TABLES = [
    "regions",
    "users",
    "technicians",
    "customers",
    "sites",
    "assets",
    "service_requests",
    "visits",
    "visit_field_records",
    "appointments",
    "request_clocks",
    "followups",
    "service_vouchers",
    "complaints",
    "complaint_clocks",
]


def build() -> float:
    """Recreate the database, migrate it and generate the rows; return the seconds taken."""
    url = make_url(PG)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
    schema.upgrade(PG)
    began = time.perf_counter()
    dsn = url.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(dsn) as conn:
        conn.execute("SET synchronous_commit = off")
        for statement in GENERATE:
            conn.execute(statement.replace("%(start)s", f"'{START.isoformat()}'::timestamptz"))
        conn.commit()
        conn.autocommit = True
        for table in TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - began


REPORTS: dict[str, Callable[[Session, Scope], list]] = {
    "sla": sla.report,
    "sla_by_technician": lambda s, sc: sla.report(s, sc, by="technician"),
    "sla_by_department": lambda s, sc: sla.report(s, sc, by="department"),
    "sla_by_job": lambda s, sc: sla.report(s, sc, by="job"),
    "complaints_by_category": lambda s, sc: complaints.report(s, sc, by="category"),
    "satisfaction_weekly": satisfaction.weekly,
    "followups_monthly": satisfaction.monthly,
    "requests_by_channel": lambda s, sc: requests.report(s, sc, by="channel", tz="Asia/Shanghai"),
    "requests_by_month": lambda s, sc: requests.report(s, sc, by="month", tz="Asia/Shanghai"),
    "demand_map": requests.demand,
    "technicians": technicians.report,
    "customers": lambda s, sc: customers.report(s, sc, churn=ChurnRule()),
    "quality_jobs (page 5000)": quality.jobs,
    "quality_faults": quality.faults,
    "management_cases": management.cases,
    "management_causes": management.causes,
}


def baseline(session: Session, scope: Scope) -> list:
    """The least a report reads: the visits completed in the scope, counted through the index."""
    statement = (
        select(func.count(Visit.id))
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .join(Site, Site.id == ServiceRequest.site_id)
        .where(scope.during(Visit.completed_at), scope.regions(Site.region_id))
    )
    return [session.scalar(statement)]


def timed(run: Callable, session: Session, scope: Scope) -> tuple[float, int]:
    """Time one report as the endpoint runs it: scope loaded (region check, work_mem), rows."""
    began = time.perf_counter()
    scope = load_scope(
        session, scope.actor, start=scope.start, end=scope.end, region_id=scope.region_id
    )
    rows = run(session, scope)
    elapsed = time.perf_counter() - began
    session.rollback()
    return elapsed, len(rows)


def month_scopes(draws: int) -> list[Scope]:
    pick = random.Random(7)
    scopes = []
    for _ in range(draws):
        first = START + timedelta(days=31 * pick.randrange(1, 22))
        first = first.replace(day=1, hour=0, minute=0)
        end = (first + timedelta(days=32)).replace(day=1)
        scopes.append(Scope(HEAD_OFFICE, first, end, pick.randrange(1, REGIONS + 1)))
    return scopes


def measure(draws: int) -> list[str]:
    db.configure(PG)
    months = month_scopes(draws)
    year = Scope(HEAD_OFFICE, END - timedelta(days=365), END)
    lines = [
        f"{'report':24} {'month p50':>9} {'p95':>7} {'x base':>7} {'rows':>6} | "
        f"{'year max':>8} {'x base':>7} {'rows':>7}"
    ]
    with Session(db.engine) as session:
        for run in (baseline, *REPORTS.values()):  # warm the caches once
            timed(run, session, months[0])
        base_month = sorted(timed(baseline, session, s)[0] for s in months)
        base_year = max(timed(baseline, session, year)[0] for _ in range(3))
        base_p95 = base_month[int(0.95 * len(base_month)) - 1]
        lines.append(_line("baseline (count)", base_month, base_p95, 1, base_year, base_year, 1))
        for name, run in REPORTS.items():
            month = [timed(run, session, s) for s in months]
            seconds = sorted(t for t, _ in month)
            year_runs = [timed(run, session, year) for _ in range(3)]
            worst = max(t for t, _ in year_runs)
            lines.append(
                _line(name, seconds, base_p95, month[0][1], worst, base_year, year_runs[0][1])
            )
        lines.append(full_export(session, year))
    return lines


def full_export(session: Session, year: Scope) -> str:
    """Time the whole year's product-quality export, page after page (as a client pages)."""
    began, after, total, pages = time.perf_counter(), 0, 0, 0
    while True:
        scope = load_scope(session, year.actor, start=year.start, end=year.end, region_id=None)
        rows = quality.jobs(session, scope, after=after, limit=5000)
        session.rollback()
        if not rows:
            break
        after, total, pages = rows[-1]["visit_id"], total + len(rows), pages + 1
    elapsed = time.perf_counter() - began
    return f"quality_jobs, all {pages} pages of the year: {elapsed:.1f} s for {total} rows"


def _line(name, seconds, base_p95, rows, worst, base_year, year_rows) -> str:
    p50, p95 = statistics.median(seconds), seconds[int(0.95 * len(seconds)) - 1]
    return (
        f"{name:24} {p50 * 1000:7.0f}ms {p95 * 1000:5.0f}ms {p95 / base_p95:6.1f}x {rows:6} | "
        f"{worst:7.2f}s {worst / base_year:6.1f}x {year_rows:7}"
    )


def counts() -> str:
    with Session(db.engine) as session:
        found = {
            table: session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            for table in ("service_requests", "visits", "complaints", "followups")
        }
    return ", ".join(f"{table} {n}" for table, n in found.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20, help="region-months timed per report")
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    args = parser.parse_args(argv)
    loaded = None if args.reuse else build()
    lines = measure(args.draws)
    header = [
        f"reports bench on PostgreSQL: {counts()}; {START:%Y-%m-%d} to {END:%Y-%m-%d}, "
        f"{REGIONS} regions" + (f"; generated in {loaded:.0f} s" if loaded else ""),
        f"one region x one month: {args.draws} draws; all regions x one year: max of 3 runs",
        "",
    ]
    text = "\n".join(header + lines)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reports.txt").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
