"""Pure routing rules: skill levels, windows, breaks on the road and pins as skills."""

from dispatch.routing import rules
from dispatch.routing.engine import Problem, TimeWindow
from tests.unit.routing.routing_builders import day_vehicle, task


def test_higher_skill_level_covers_a_lower_requirement():
    assert rules.has_skills({(7, 3)}, {(7, 2)})
    assert rules.has_skills({7}, {7})
    assert not rules.has_skills({(7, 1)}, {(7, 2)})
    assert not rules.has_skills({7}, {8})


def test_earliest_start_waits_for_the_next_open_window():
    windows = (TimeWindow(100, 200), TimeWindow(500, 600))
    assert rules.earliest_start(windows, 50) == 100
    assert rules.earliest_start(windows, 150) == 150
    assert rules.earliest_start(windows, 300) == 500
    assert rules.earliest_start(windows, 700) is None
    assert rules.earliest_start((), 700) == 700


def test_technician_drives_while_waiting_for_the_break_window():
    # Leaves at 130 on a 100 s leg; the break opens at 150, so 20 s are driven before it.
    starts, arrival = rules.travel_with_breaks(130, 100, [((TimeWindow(150, 160),), 50)])
    assert (starts, arrival) == ([150], 280)


def test_break_that_has_closed_makes_the_leg_infeasible():
    assert rules.travel_with_breaks(200, 10, [((TimeWindow(150, 160),), 50)]) is None


def test_pinned_time_becomes_a_narrow_window():
    pinned = task(1, 0, windows=(TimeWindow(0, 99_999),), pinned_time=36_000)
    assert rules.effective_windows(pinned) == (
        TimeWindow(36_000, 36_000 + rules.PINNED_TIME_SLACK_S),
    )


def test_skill_codes_give_each_pinned_task_a_skill_only_its_technician_has():
    vehicles = (day_vehicle(1, skills=frozenset({(5, 2)})), day_vehicle(2, skills=frozenset({5})))
    tasks = (task(10, 0, skills=frozenset({(5, 1)})), task(11, 0, pinned_vehicle_id=2))
    problem = Problem(vehicles, tasks, [[0]])

    vehicle_codes, task_codes = rules.skill_codes(problem)

    assert task_codes[10] <= vehicle_codes[1] and not task_codes[10] <= vehicle_codes[2]
    assert task_codes[11] <= vehicle_codes[2] and not task_codes[11] <= vehicle_codes[1]
