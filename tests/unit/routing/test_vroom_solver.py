"""VROOM plans keep every field rule and explain every visit they leave out."""

import pytest

from dispatch.routing import rules
from dispatch.routing.engine import Problem, TimeWindow, route_items, timed_route
from dispatch.routing.vroom_engine import VroomSolver
from tests.unit.routing.routing_builders import (
    HOUR,
    assert_routes_keep_rules,
    day_vehicle,
    grid_durations,
    lunch,
    task,
)

POINTS = [(0, 0), (10, 0), (0, 10), *[(x, y) for x in range(1, 6) for y in range(1, 4)], (900, 900)]
FAR = len(POINTS) - 1
PINNED_AT = 9 * HOUR


def _two_hours(start_hour: int) -> tuple[TimeWindow, ...]:
    return (TimeWindow(start_hour * HOUR, (start_hour + 2) * HOUR),)


def _problem() -> Problem:
    vehicles = (
        day_vehicle(1, skills=frozenset({1, (2, 3)}), breaks=(lunch(11),), max_tasks=4),
        day_vehicle(
            2, skills=frozenset({1}), breaks=(lunch(21),), shift=TimeWindow(8 * HOUR, 15 * HOUR)
        ),
        day_vehicle(3, skills=frozenset({1, 3}), start_index=1, end_index=2),
    )
    tasks = [
        task(100 + k, 3 + k, skills=frozenset({1}), windows=_two_hours(8 + (k % 4) * 2))
        for k in range(6)
    ]
    tasks += [task(200 + k, 9 + k, skills=frozenset({(2, 2)})) for k in range(5)]
    tasks += [
        task(300, 14, skills=frozenset({3})),
        task(301, 15, windows=(TimeWindow(8 * HOUR, 8 * HOUR + 600), *_two_hours(16))),
        task(302, 16, pinned_vehicle_id=2, pinned_time=PINNED_AT),
        task(303, 17, pinned_time=14 * HOUR),
        task(900, 5, skills=frozenset({9})),
        task(901, 6, windows=_two_hours(20)),
        task(902, FAR),
        task(903, 7, pinned_vehicle_id=99),
    ]
    return Problem(vehicles=vehicles, tasks=tuple(tasks), durations=grid_durations(POINTS))


@pytest.fixture(scope="module")
def planned():
    problem = _problem()
    return problem, VroomSolver(threads=1).solve(problem, time_limit_s=2)


def test_planned_routes_keep_skills_windows_shifts_breaks_pins_and_task_limits(planned):
    problem, solution = planned
    assert_routes_keep_rules(problem, solution.routes)


def test_every_task_is_either_routed_once_or_unassigned(planned):
    problem, solution = planned
    routed = [tid for r in solution.routes for tid in r.task_ids]
    left = [u.task_id for u in solution.unassigned]
    assert sorted(routed + left) == sorted(t.id for t in problem.tasks)


def test_unassigned_visits_carry_the_simple_cause(planned):
    _, solution = planned
    reasons = {u.task_id: u.reason for u in solution.unassigned}
    assert reasons[900] == rules.NO_VEHICLE_WITH_SKILL
    assert reasons[901] == rules.OUTSIDE_TIME_WINDOW
    assert reasons[902] == rules.CAPACITY_OR_SHIFT
    assert reasons[903] == rules.PINNED_VEHICLE_MISSING


def test_task_limit_leaves_a_skilled_visit_with_no_feasible_slot(planned):
    _, solution = planned
    reasons = {u.task_id: u.reason for u in solution.unassigned}
    left_skilled = [tid for tid in reasons if 200 <= tid < 300]
    assert len(left_skilled) == 1
    assert reasons[left_skilled[0]] == rules.NO_FEASIBLE_SLOT


def test_pinned_visit_rides_with_its_technician_at_its_time(planned):
    _, solution = planned
    step, vehicle_id = next(
        (s, r.vehicle_id) for r in solution.routes for s in r.steps if s.id == 302
    )
    assert vehicle_id == 2
    assert PINNED_AT <= step.start <= PINNED_AT + rules.PINNED_TIME_SLACK_S


def test_vehicle_starts_and_ends_at_its_own_locations(planned):
    _, solution = planned
    route = next(r for r in solution.routes if r.vehicle_id == 3)
    assert (route.steps[0].location_index, route.steps[-1].location_index) == (1, 2)


def test_engine_timing_rules_accept_every_vroom_route(planned):
    problem, solution = planned
    for route in solution.routes:
        vehicle = problem.vehicle_by_id[route.vehicle_id]
        assert timed_route(problem, vehicle, route_items(problem, route)) is not None


def test_higher_priority_visit_wins_the_last_slot():
    vehicle = day_vehicle(1, max_tasks=1)
    tasks = (task(1, 1, priority=0), task(2, 2, priority=50))
    problem = Problem((vehicle,), tasks, grid_durations([(0, 0), (1, 0), (9, 0)]))

    solution = VroomSolver(threads=1).solve(problem, time_limit_s=1)

    assert solution.routes[0].task_ids == [2]
    assert [(u.task_id, u.reason) for u in solution.unassigned] == [(1, rules.NO_FEASIBLE_SLOT)]
