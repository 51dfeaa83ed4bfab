"""RTE-16: generated field days carry every feature, and the independent checker catches what
the engine's rules forbid (missed lunch, late visit, missing skill, overlong day)."""

from pathlib import Path

from bench.field.check import check, plan_of
from bench.field.generate import VARIANTS, field_day
from bench.vrptw.instances import read_instance
from dispatch.routing.engine import Problem, Task, TimeWindow, Vehicle, timed_route

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "benchmarks" / "vrptw"
R101 = read_instance(DATA / "solomon" / "vrplib" / "R101.vrp")


def _greedy_plan(problem):
    """A plan made by the engine's own rules: each visit on the first route it fits."""
    from dispatch.routing.engine import Insertion, insert

    routes = []
    for task in problem.tasks:
        found = insert(problem, routes, task)
        if isinstance(found, Insertion):
            routes = [r for r in routes if r.vehicle_id != found.vehicle_id] + [found.route]
    return routes


def test_rte_16_every_variant_has_its_feature_and_the_same_seed_gives_the_same_day():
    days = {v: field_day(R101, v) for v in VARIANTS}

    assert days["skills"] == field_day(R101, "skills")
    assert all(t.skills for t in days["skills"].tasks)
    assert all(len(v.breaks) == 1 for v in days["lunch"].vehicles)
    assert len({v.start_index for v in days["homes"].vehicles}) == len(days["homes"].vehicles)
    assert any(len(t.windows) == 2 for t in days["windows"].tasks)
    assert len(days["overfull"].vehicles) < R101.fleet
    assert len({t.priority for t in days["overfull"].tasks}) == 3
    assert all(v.max_duration for v in days["all"].vehicles)


def test_rte_16_checker_accepts_plans_the_engine_times_and_costs_them():
    problem = field_day(R101, "all")
    routes = _greedy_plan(problem)

    result = check(problem, {r.vehicle_id: _items(r) for r in routes})

    assert result.violations == ()
    assert result.travel == sum(r.travel_time for r in routes)
    assert result.cost == result.travel + sum(
        t.unplanned_cost for t in problem.tasks if t.id in result.unplanned
    )


def _items(route):
    return plan_of(type("S", (), {"routes": (route,)})())[route.vehicle_id]


def test_rte_16_checker_rejects_a_route_without_its_lunch():
    problem = field_day(R101, "lunch")
    route = _greedy_plan(problem)[0]
    without = [item for item in _items(route) if item[0] != "break"]

    result = check(problem, {route.vehicle_id: without})

    assert result.violations == (f"vehicle {route.vehicle_id}: breaks taken []",)


def test_rte_16_checker_rejects_a_late_visit_and_a_missing_skill():
    problem = field_day(R101, "skills")
    route = _greedy_plan(problem)[0]
    vehicle = problem.vehicle_by_id[route.vehicle_id]
    stranger = next(t for t in problem.tasks if not t.skills <= vehicle.skills)
    reversed_items = list(reversed(_items(route)))

    assert timed_route(problem, vehicle, [problem.task_by_id[i] for _, i in reversed_items]) is None
    late = check(problem, {vehicle.id: reversed_items})
    unskilled = check(problem, {vehicle.id: [*_items(route), ("task", stranger.id)]})

    assert any("after its windows" in v for v in late.violations)
    assert any(f"task {stranger.id} needs skill" in v for v in unskilled.violations)


def test_rte_16_checker_measures_working_time_from_the_latest_departure():
    # Home, A and B ten units apart; A at exactly 100, B at exactly 1000, ten units each.
    durations = [[0, 10, 10], [10, 0, 10], [10, 10, 0]]
    tasks = (
        Task(1, 1, service=10, windows=(TimeWindow(100, 100),), unplanned_cost=5000),
        Task(2, 2, service=10, windows=(TimeWindow(1000, 1000),), unplanned_cost=5000),
    )
    plan = {1: [("task", 1), ("task", 2)]}

    def limited(seconds):
        vehicle = Vehicle(1, TimeWindow(0, 2000), 0, 0, max_duration=seconds)
        return check(Problem((vehicle,), tasks, durations), plan)

    # Leaving at 90 and home at 1020: 930, not the 1020 counted from the shift start.
    assert limited(930).violations == ()
    assert limited(929).violations == ("vehicle 1: works 930, more than 929",)


def test_rte_16_pyvrp_peer_plans_what_it_can_express_and_sits_out_lunch():
    from bench.field.solvers import available_solvers

    pyvrp_peer = available_solvers()["pyvrp"]
    for variant in ("skills", "homes", "windows", "overfull"):
        problem = field_day(R101, variant)
        result = check(problem, pyvrp_peer(problem, 0.2))
        assert result.feasible, (variant, result.violations)
        assert result.travel > 0
    assert pyvrp_peer(field_day(R101, "lunch"), 0.2) is None
    assert pyvrp_peer(field_day(R101, "all"), 0.2) is None
