"""Urgent visits go where they add the least travel without breaking anyone's day."""

from dispatch.routing import rules
from dispatch.routing.engine import Insertion, Problem, TimeWindow, Unassigned, insert
from tests.unit.routing.routing_builders import (
    HOUR,
    assert_routes_keep_rules,
    day_vehicle,
    euclid_durations,
    lunch,
    planned_route,
    task,
)

# Depot, A east of it, B north of A, the new visit C half way between A and B, a far depot and
# a place beside it, and a place just off the way home from B.
POINTS = [(0, 0), (5, 0), (5, 10), (5, 5), (40, 40), (41, 40), (0, 8)]
DEPOT, A, B, C, FAR_DEPOT, FAR, OFF_THE_WAY = range(7)
MINUTE = 60
EIGHT = 8 * HOUR


def _problem(vehicles, tasks) -> Problem:
    return Problem(tuple(vehicles), tuple(tasks), euclid_durations(POINTS))


def _a_b_day(b_window=None, a_window=None, **vehicle_fields):
    """One technician visiting A then B; returns the problem, the route and the new visit C."""
    a = task(1, A, windows=(a_window,) if a_window else ())
    b = task(2, B, windows=(b_window,) if b_window else ())
    new = task(9, C)
    problem = _problem([day_vehicle(1, **vehicle_fields)], [a, b])
    return problem, planned_route(problem, 1, [a, b]), new


def test_insertion_picks_the_gap_that_adds_least_travel():
    problem, route, new = _a_b_day()

    result = insert(problem, [route], new)

    assert isinstance(result, Insertion)
    assert result.route.task_ids == [1, 9, 2]
    assert (result.position, result.extra_travel) == (2, 0)


def test_insertion_skips_a_cheap_gap_that_would_make_a_later_visit_late():
    # Leaving A at 08:20 reaches B at 08:30; a detour through C would reach it at 08:45.
    problem, route, new = _a_b_day(b_window=TimeWindow(EIGHT + 30 * MINUTE, EIGHT + 35 * MINUTE))
    inserted_problem = _problem(problem.vehicles, [*problem.tasks, new])

    result = insert(problem, [route], new)

    assert isinstance(result, Insertion)
    assert result.route.task_ids == [1, 2, 9]
    assert result.extra_travel > 0
    assert_routes_keep_rules(inserted_problem, [result.route])


def test_insertion_refuses_a_visit_whose_window_no_gap_can_meet():
    problem, route, _ = _a_b_day(a_window=TimeWindow(EIGHT + 5 * MINUTE, EIGHT + 10 * MINUTE))
    new = task(9, C, windows=(TimeWindow(EIGHT + 10 * MINUTE, EIGHT + 11 * MINUTE),))

    assert insert(problem, [route], new) == Unassigned(9, rules.NO_FEASIBLE_SLOT)


def test_insertion_uses_a_later_window_when_the_first_cannot_be_met():
    problem, route, _ = _a_b_day(a_window=TimeWindow(EIGHT + 5 * MINUTE, EIGHT + 10 * MINUTE))
    windows = (
        TimeWindow(EIGHT + 10 * MINUTE, EIGHT + 11 * MINUTE),
        TimeWindow(16 * HOUR, 17 * HOUR),
    )

    result = insert(problem, [route], task(9, C, windows=windows))

    assert isinstance(result, Insertion)
    assert result.route.steps[result.position].start >= 16 * HOUR


def test_insertion_chooses_the_technician_nearest_in_added_travel():
    problem, route, new = _a_b_day()
    far = day_vehicle(2, start_index=FAR_DEPOT, end_index=FAR_DEPOT)
    problem = _problem([*problem.vehicles, far], [*problem.tasks, task(3, FAR)])
    far_route = planned_route(problem, 2, [problem.task_by_id[3]])

    result = insert(problem, [route, far_route], new)

    assert result.vehicle_id == 1


def test_idle_technician_gets_the_visit_when_busy_ones_cannot_take_it():
    problem, route, new = _a_b_day(max_tasks=2)
    idle = day_vehicle(2, start_index=FAR_DEPOT, end_index=FAR_DEPOT)
    problem = _problem([*problem.vehicles, idle], problem.tasks)

    result = insert(problem, [route], new)

    assert result.vehicle_id == 2
    assert result.route.task_ids == [9]


def test_insertion_respects_skills_and_reports_when_nobody_has_them():
    problem, route, _ = _a_b_day(skills=frozenset({(4, 1)}))

    assert insert(problem, [route], task(9, C, skills=frozenset({(4, 2)}))) == Unassigned(
        9, rules.NO_VEHICLE_WITH_SKILL
    )
    assert isinstance(insert(problem, [route], task(9, C, skills=frozenset({4}))), Insertion)


def test_insertion_honours_a_pin_to_a_technician_over_cheaper_travel():
    problem, route, _ = _a_b_day()
    other = day_vehicle(2, start_index=FAR_DEPOT, end_index=FAR_DEPOT)
    problem = _problem([*problem.vehicles, other], problem.tasks)

    result = insert(problem, [route], task(9, C, pinned_vehicle_id=2))

    assert result.vehicle_id == 2


def test_insertion_keeps_the_load_within_capacity():
    problem, route, _ = _a_b_day(capacity=10)
    loaded = [task(1, A, demand=6), task(2, B, demand=3)]
    problem = _problem(problem.vehicles, loaded)
    route = planned_route(problem, 1, loaded)

    assert insert(problem, [route], task(9, C, demand=2)) == Unassigned(9, rules.NO_FEASIBLE_SLOT)
    assert isinstance(insert(problem, [route], task(9, C, demand=1)), Insertion)


def test_insertion_keeps_travel_within_the_daily_limit():
    problem, route, new = _a_b_day()
    limit = route.travel_time + MINUTE
    problem = _problem([day_vehicle(1, max_travel_time=limit)], problem.tasks)

    assert isinstance(insert(problem, [route], new), Insertion)  # C lies on the way
    # Alone it fits the limit, but every gap adds over a minute of driving.
    off_the_way = task(9, OFF_THE_WAY)
    assert insert(problem, [route], off_the_way) == Unassigned(9, rules.NO_FEASIBLE_SLOT)


def test_lunch_break_still_fits_its_window_after_insertion():
    noon_visit = task(
        9, C, service=30 * MINUTE, windows=(TimeWindow(12 * HOUR, 12 * HOUR + 20 * MINUTE),)
    )
    problem = _problem([day_vehicle(1, breaks=(lunch(),))], [noon_visit])

    result = insert(problem, [], noon_visit)

    assert isinstance(result, Insertion)
    assert_routes_keep_rules(problem, [result.route])


def test_insertion_refuses_a_visit_that_would_push_lunch_out_of_its_window():
    long_noon_visit = task(
        9, C, service=90 * MINUTE, windows=(TimeWindow(12 * HOUR, 12 * HOUR + 20 * MINUTE),)
    )
    problem = _problem([day_vehicle(1, breaks=(lunch(),))], [long_noon_visit])

    assert insert(problem, [], long_noon_visit) == Unassigned(9, rules.NO_FEASIBLE_SLOT)


def test_insertion_reports_a_window_outside_every_shift():
    problem, route, _ = _a_b_day()
    evening = task(9, C, windows=(TimeWindow(20 * HOUR, 21 * HOUR),))

    assert insert(problem, [route], evening) == Unassigned(9, rules.OUTSIDE_TIME_WINDOW)
