"""The planner sends pure VRPTW to PyVRP and anything with field rules to VROOM."""

from dataclasses import replace

import pytest

from dispatch.routing import pyvrp_engine
from dispatch.routing.engine import Problem, TimeWindow
from dispatch.routing.planner import Planner, choose_solver
from dispatch.routing.vroom_engine import VroomSolver
from tests.unit.routing.routing_builders import (
    HOUR,
    assert_routes_keep_rules,
    day_vehicle,
    grid_durations,
    lunch,
    task,
)

POINTS = [(0, 0), *[(x, y) for x in range(1, 4) for y in range(1, 4)]]
needs_pyvrp = pytest.mark.skipif(not pyvrp_engine.available(), reason="pyvrp not installed")


def _pure(**vehicle_fields) -> Problem:
    vehicle_fields.setdefault("capacity", 4)
    vehicles = tuple(day_vehicle(k, **vehicle_fields) for k in (1, 2, 3))
    tasks = tuple(
        task(k, k, demand=1, windows=(TimeWindow((8 + k % 3) * HOUR, (11 + k % 3) * HOUR),))
        for k in range(1, len(POINTS))
    )
    return Problem(vehicles, tasks, grid_durations(POINTS))


@needs_pyvrp
def test_pure_time_window_problem_goes_to_pyvrp():
    assert isinstance(choose_solver(_pure()), pyvrp_engine.PyvrpSolver)


def test_lunch_breaks_send_the_problem_to_vroom():
    assert isinstance(choose_solver(_pure(breaks=(lunch(),))), VroomSolver)


def test_skills_pins_and_several_windows_each_send_the_problem_to_vroom():
    base = _pure()
    first = base.tasks[0]
    variants = [
        replace(first, skills=frozenset({1})),
        replace(first, pinned_vehicle_id=1),
        replace(first, pinned_time=9 * HOUR),
        replace(first, windows=(TimeWindow(0, 1), TimeWindow(5, 9))),
        replace(first, priority=10),
    ]
    for changed in variants:
        problem = Problem(base.vehicles, (changed, *base.tasks[1:]), base.durations)
        assert not pyvrp_engine.expresses(problem)


@needs_pyvrp
def test_pyvrp_plans_every_task_within_windows_and_capacity():
    problem = _pure()

    solution = pyvrp_engine.PyvrpSolver().solve(problem, time_limit_s=0.2)

    assert solution.unassigned == ()
    assert sorted(t for r in solution.routes for t in r.task_ids) == [t.id for t in problem.tasks]
    assert all(len(r.task_ids) <= 4 for r in solution.routes)
    assert_routes_keep_rules(problem, solution.routes)


def test_planner_uses_vroom_when_the_vans_cannot_carry_every_task():
    problem = _pure(capacity=2)  # 9 visits, 3 vans of 2

    solution = Planner().solve(problem, time_limit_s=0.5)

    assert solution.solver == "vroom"
    assert len(solution.unassigned) == 3
    assert_routes_keep_rules(problem, solution.routes)


@needs_pyvrp
@pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")  # expected: no fit
def test_planner_falls_back_to_vroom_when_pyvrp_cannot_fit_every_task():
    # Each task fits alone and the loads fit in total, but the windows cannot all be met.
    vehicles = (day_vehicle(1),)
    tasks = tuple(
        task(k, k, service=2 * HOUR, windows=(TimeWindow(9 * HOUR, 9 * HOUR + 60),)) for k in (1, 2)
    )
    problem = Problem(vehicles, tasks, grid_durations(POINTS))

    solution = Planner().solve(problem, time_limit_s=0.3)

    assert solution.solver == "vroom"
    assert [u.reason for u in solution.unassigned] == ["no_feasible_slot"]
    assert_routes_keep_rules(problem, solution.routes)


def test_pyvrp_backend_says_how_to_install_it_when_missing(monkeypatch):
    monkeypatch.setattr(pyvrp_engine, "pyvrp", None)

    with pytest.raises(pyvrp_engine.PyvrpUnavailable, match="pip install pyvrp"):
        pyvrp_engine.PyvrpSolver()
    assert isinstance(choose_solver(_pure()), VroomSolver)
