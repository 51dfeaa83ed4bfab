"""A synthetic field day in Shanghai: plan 500 visits on 50 technicians, then time insertions.

    nice -n 10 .venv/bin/python -m bench.field_day

Seeded, so every run builds the same day. Travel comes from the geodesic matrix (25 km/h, detour
factor 1.3). Times are seconds since midnight.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter

from bench.synthetic_day import point, technician, visit
from dispatch.routing.engine import (
    Insertion,
    Problem,
    Route,
    insert,
    route_items,
    timed_route,
)
from dispatch.routing.planner import Planner, choose_solver
from dispatch.routing.travel import GeodesicTravelMatrix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--insertions", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n_tech, n_visits, n_new = args.technicians, args.visits, args.insertions

    points = [point(rng) for _ in range(n_tech + n_visits + n_new)]
    began = time.perf_counter()
    table = GeodesicTravelMatrix(speed_kmh=25, detour_factor=1.3).table(points)
    matrix_s = time.perf_counter() - began

    vehicles = tuple(technician(rng, k) for k in range(n_tech))
    visits = tuple(visit(rng, 1000 + k, n_tech + k) for k in range(n_visits))
    extra = [visit(rng, 5000 + k, n_tech + n_visits + k) for k in range(n_new)]
    problem = Problem(vehicles, visits, table.durations, table.distances)

    solver = choose_solver(problem)
    began = time.perf_counter()
    solution = Planner().solve(problem, args.time_limit)
    plan_s = time.perf_counter() - began
    accepted = sum(_engine_accepts(problem, r) for r in solution.routes)

    timings, placed = [], 0
    insert(problem, solution.routes, extra[0])  # warm-up: builds the per-problem lookup tables
    for new in extra:
        began = time.perf_counter()
        result = insert(problem, solution.routes, new)
        timings.append((time.perf_counter() - began) * 1000)
        placed += isinstance(result, Insertion)

    reasons = Counter(u.reason for u in solution.unassigned)
    ms = sorted(timings)
    print(f"field day: {n_tech} technicians, {n_visits} visits, seed {args.seed}")
    print(f"travel matrix ({len(points)} points, geodesic): {matrix_s:.1f} s")
    print(f"plan: backend {solver.name}, {plan_s:.1f} s (limit {args.time_limit:g} s)")
    print(f"planned {n_visits - len(solution.unassigned)}, unassigned {len(solution.unassigned)}")
    print(f"unassigned reasons: {dict(reasons)}")
    print(f"routes used {len(solution.routes)}, travel {solution.travel_time / 3600:.1f} h")
    print(f"routes the insertion rules re-time as feasible: {accepted}/{len(solution.routes)}")
    print(
        f"insertion of one urgent visit over {len(ms)} tries: p50 {statistics.median(ms):.1f} ms,"
        f" p95 {ms[int(0.95 * len(ms)) - 1]:.1f} ms, max {ms[-1]:.1f} ms; placed {placed}"
    )


def _engine_accepts(problem: Problem, route: Route) -> bool:
    vehicle = problem.vehicle_by_id[route.vehicle_id]
    return timed_route(problem, vehicle, route_items(problem, route)) is not None


if __name__ == "__main__":
    main()
