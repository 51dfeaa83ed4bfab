"""A synthetic field day in Shanghai: plan 500 visits on 50 technicians, then time insertions.

    nice -n 10 .venv/bin/python -m bench.field_day
    nice -n 10 .venv/bin/python -m bench.field_day --compare   # also VROOM and PyVRP alone

With `--compare`, VROOM alone and PyVRP alone plan the same day with the same budget and one
thread, and the run fails (exit status 1) when the planner's plan costs more than the better of
them (travel plus unplanned cost, every plan through the same repair) by more than SPREAD: the
planner must be at least as good as its best component. SPREAD is the run-to-run spread of one
time-cut VROOM search on the shared machine (the same 30 s call: 272 405 and 283 421, 4 %); the
regression it guards against cost 10.8 % more (301 818, VROOM cut to half of the budget).

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
    Solution,
    insert,
    route_items,
    timed_route,
)
from dispatch.routing.planner import Planner, choose_solver
from dispatch.routing.pyvrp_engine import PyvrpSolver
from dispatch.routing.repair import repair
from dispatch.routing.travel import GeodesicTravelMatrix
from dispatch.routing.vroom_engine import VroomSolver

SPREAD = 0.05  # of the best component's cost: see --compare above


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--insertions", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--compare", action="store_true", help="also plan with VROOM and PyVRP alone"
    )
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
    alone = _components(problem, args.time_limit) if args.compare else {}
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
    if alone:
        print(f"planner: planned {_planned(solution)}, cost {solution.cost(problem)}")
        for name, (plan, wall) in alone.items():
            print(
                f"{name} alone: planned {_planned(plan)}, cost {plan.cost(problem)}, {wall:.1f} s"
            )
        best = min(plan.cost(problem) for plan, _ in alone.values())
        if solution.cost(problem) > best * (1 + SPREAD):
            raise SystemExit(f"the planner ({solution.cost(problem)}) is worse than {best}")


def _components(problem: Problem, budget: float) -> dict[str, tuple[Solution, float]]:
    """Plan with each backend alone, one thread, the same budget; each plan repaired."""
    found = {}
    for name, solver in (("vroom", VroomSolver(threads=1)), ("pyvrp", PyvrpSolver())):
        began = time.perf_counter()
        found[name] = (repair(problem, solver.solve(problem, budget)), time.perf_counter() - began)
    return found


def _planned(solution: Solution) -> int:
    return sum(len(r.task_ids) for r in solution.routes)


def _engine_accepts(problem: Problem, route: Route) -> bool:
    vehicle = problem.vehicle_by_id[route.vehicle_id]
    return timed_route(problem, vehicle, route_items(problem, route)) is not None


if __name__ == "__main__":
    main()
