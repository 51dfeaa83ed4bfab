"""The DIMACS evaluator reproduces every best-known cost and rejects broken solutions."""

from pathlib import Path

import pytest

from bench.vrptw.evaluate import evaluate
from bench.vrptw.instances import read_instance, read_solution

# The project root is parents[2]; CI clones the shared data folder beside it.
DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "vrptw"
SOLUTIONS = sorted(DATA.glob("*/vrplib/*.sol"))


def _instance_and_solution(name: str):
    sol = next(p for p in SOLUTIONS if p.stem == name)
    return read_instance(sol.with_suffix(".vrp")), read_solution(sol)


def test_shared_data_holds_56_solomon_and_10_gehring_homberger_solutions():
    assert len([p for p in SOLUTIONS if p.parent.parent.name == "solomon"]) == 56
    assert len([p for p in SOLUTIONS if p.parent.parent.name == "gehring_homberger"]) == 10


@pytest.mark.parametrize("sol", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_evaluator_reproduces_best_known_cost_and_feasibility(sol):
    instance, solution = read_instance(sol.with_suffix(".vrp")), read_solution(sol)

    result = evaluate(instance, solution.routes)

    assert result.violations == ()
    assert result.cost_tenths == solution.cost_tenths


def test_solomon_text_format_reads_the_same_instance_as_vrplib():
    txt = read_instance(DATA / "solomon" / "solomon_txt" / "RC208.txt")
    vrp = read_instance(DATA / "solomon" / "vrplib" / "RC208.vrp")
    assert txt == vrp


def test_missing_customer_is_infeasible():
    instance, solution = _instance_and_solution("C101")
    routes = [list(r) for r in solution.routes]
    dropped = routes[0].pop()

    result = evaluate(instance, routes)

    assert f"customer {dropped} visited 0 times" in result.violations


def test_customer_visited_twice_is_infeasible():
    instance, solution = _instance_and_solution("C101")
    routes = [list(r) for r in solution.routes]
    routes[1].append(routes[0][0])

    assert f"customer {routes[0][0]} visited 2 times" in evaluate(instance, routes).violations


def test_late_arrival_is_infeasible():
    instance, solution = _instance_and_solution("C101")
    # Serving a route backwards reaches its early-window customers far too late.
    routes = [list(reversed(r)) if k == 0 else list(r) for k, r in enumerate(solution.routes)]

    result = evaluate(instance, routes)

    assert any("reached late" in v for v in result.violations)


def test_overloaded_route_is_infeasible():
    instance, solution = _instance_and_solution("R201")
    merged = [c for r in solution.routes for c in r]

    result = evaluate(instance, [merged])

    assert any("exceeds capacity" in v for v in result.violations)


def test_more_routes_than_vehicles_is_infeasible():
    instance, _ = _instance_and_solution("C101")
    singles = [[c] for c in range(1, instance.customers + 1)]

    result = evaluate(instance, singles)

    assert f"100 routes exceed the fleet of {instance.fleet}" in result.violations
