"""Engine model of issue 16: working-time limit, speed factor, unplanned cost, lunch repair."""

from dispatch.routing import rules
from dispatch.routing.engine import (
    Insertion,
    Problem,
    Solution,
    TimeWindow,
    Unassigned,
    insert,
    timed_route,
    working_time,
)
from dispatch.routing.repair import feasible_route, repair, with_breaks
from tests.unit.routing.routing_builders import (
    HOUR,
    assert_routes_keep_rules,
    day_vehicle,
    grid_durations,
    lunch,
    planned_route,
    task,
)

POINTS = [(0, 0), (10, 0), (20, 0), (10, 10)]  # 10 grid units = 10 minutes apart
MINUTE = 60


def _at(second: int) -> TimeWindow:
    return TimeWindow(second, second)


def _problem(vehicles, tasks) -> Problem:
    return Problem(tuple(vehicles), tuple(tasks), grid_durations(POINTS))


def test_rte_16_waiting_before_the_first_visit_is_not_working_time():
    # Visit at 14:00 (10 min away, 15 min long): 35 min of work whatever the shift start.
    late = task(1, 1, windows=(TimeWindow(14 * HOUR, 14 * HOUR),))
    problem = _problem([day_vehicle(1, max_duration=40 * MINUTE)], [late])

    assert working_time(problem, problem.vehicles[0], [late]) == 35 * MINUTE
    assert timed_route(problem, problem.vehicles[0], [late]) is not None


def test_rte_16_a_route_longer_than_the_maximum_duration_is_refused():
    # 08:00-18:00 shift but at most 1 h of work: two visits with a wait between make 2h15.
    a = task(1, 1, windows=(TimeWindow(8 * HOUR, 9 * HOUR),))
    b = task(2, 2, windows=(TimeWindow(10 * HOUR, 11 * HOUR),))
    problem = _problem([day_vehicle(1, max_duration=HOUR)], [a, b])
    vehicle = problem.vehicles[0]

    assert working_time(problem, vehicle, [a, b]) > HOUR
    assert timed_route(problem, vehicle, [a, b]) is None
    assert timed_route(problem, vehicle, [a]) is not None


def test_rte_16_insertion_keeps_the_maximum_duration():
    a = task(1, 1)
    problem = _problem([day_vehicle(1, max_duration=HOUR)], [a])
    route = planned_route(problem, 1, [a])
    far = task(9, 2, service=20 * MINUTE)  # 1 h alone; with the first visit 1h15

    result = insert(problem, [route], far)

    assert isinstance(result, Unassigned)
    assert result.reason == rules.NO_FEASIBLE_SLOT


def test_rte_16_a_faster_technician_drives_in_less_time():
    a = task(1, 2)  # 20 minutes away at factor 1
    problem = _problem([day_vehicle(1), day_vehicle(2, speed_factor=2.0)], [a])

    slow = timed_route(problem, problem.vehicles[0], [a])
    fast = timed_route(problem, problem.vehicles[1], [a])

    assert slow.travel_time == 40 * MINUTE
    assert fast.travel_time == 20 * MINUTE
    assert fast.steps[1].arrival == 8 * HOUR + 10 * MINUTE
    assert_routes_keep_rules(problem, [slow, fast])


def test_rte_16_unplanned_cost_grows_with_priority_and_can_be_set_per_visit():
    low, high = task(1, 1, priority=10), task(2, 1, priority=100)
    own = task(3, 1, priority=100, unplanned_cost=5)
    problem = _problem([day_vehicle(1)], [low, high, own])

    assert rules.unplanned_cost(low) < rules.unplanned_cost(high)
    assert rules.unplanned_cost(own) == 5
    solution = Solution((), (Unassigned(1, "x"), Unassigned(3, "x")))
    assert solution.cost(problem) == rules.unplanned_cost(low) + 5


def test_rte_16_lunch_goes_where_the_visit_order_leaves_room_for_it():
    # 11:30-12:10 and 12:40-13:10 visits: lunch (30 min, 12:00-13:00) fits only between them.
    a = task(1, 1, service=40 * MINUTE, windows=(_at(11 * HOUR + 30 * MINUTE),))
    b = task(2, 3, service=30 * MINUTE, windows=(TimeWindow(12 * HOUR + 40 * MINUTE, 13 * HOUR),))
    problem = _problem([day_vehicle(1, breaks=(lunch(),))], [a, b])

    route = with_breaks(problem, problem.vehicles[0], [a, b])

    assert [s.kind.value for s in route.steps] == ["start", "task", "break", "task", "end"]
    assert_routes_keep_rules(problem, [route])


def test_rte_16_repair_drops_the_cheapest_visit_when_lunch_cannot_fit():
    # Back-to-back visits 11:00-14:00 leave no room for lunch: the low-priority one goes.
    a = task(1, 1, service=90 * MINUTE, windows=(_at(11 * HOUR),), priority=100)
    b = task(2, 1, service=80 * MINUTE, windows=(_at(12 * HOUR + 30 * MINUTE),))
    problem = _problem([day_vehicle(1, breaks=(lunch(),))], [a, b])

    route, dropped = feasible_route(problem, problem.vehicles[0], [a, b])

    assert route.task_ids == [1]
    assert dropped == [b]
    assert_routes_keep_rules(problem, [route])


def test_rte_16_repair_reinserts_a_dropped_visit_on_another_technician():
    a = task(1, 1, service=90 * MINUTE, windows=(_at(11 * HOUR),), priority=100)
    b = task(2, 1, service=80 * MINUTE, windows=(_at(12 * HOUR + 30 * MINUTE),))
    vehicles = [day_vehicle(1, breaks=(lunch(),)), day_vehicle(2, breaks=(lunch(2),))]
    problem = _problem(vehicles, [a, b])
    both_on_one = Solution((planned_route(problem, 1, [a, b]),), ())

    repaired = repair(problem, both_on_one)

    assert repaired.unassigned == ()
    assert sorted((r.vehicle_id, tuple(r.task_ids)) for r in repaired.routes) == [
        (1, (1,)),
        (2, (2,)),
    ]
    assert_routes_keep_rules(problem, repaired.routes)
    assert isinstance(insert(problem, repaired.routes, task(9, 2)), Insertion)
