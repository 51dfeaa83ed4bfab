"""Builders and an independent route checker for the routing engine tests."""

import random

from dispatch.routing.engine import (
    Break,
    Problem,
    Route,
    StepKind,
    Task,
    TimeWindow,
    Vehicle,
    timed_route,
)
from dispatch.routing.rules import PINNED_TIME_SLACK_S, skill_level

HOUR = 3600


def grid_durations(points: list[tuple[int, int]], seconds_per_unit: int = 60) -> list[list[int]]:
    """Manhattan travel times between grid points."""
    return [
        [(abs(ax - bx) + abs(ay - by)) * seconds_per_unit for bx, by in points] for ax, ay in points
    ]


def day_vehicle(vid: int, **fields) -> Vehicle:
    """A technician working 08:00-18:00 from location 0, unless told otherwise."""
    fields.setdefault("shift", TimeWindow(8 * HOUR, 18 * HOUR))
    fields.setdefault("start_index", 0)
    fields.setdefault("end_index", 0)
    return Vehicle(id=vid, **fields)


def lunch(bid: int = 1) -> Break:
    return Break(bid, (TimeWindow(12 * HOUR, 13 * HOUR),), 30 * 60)


def task(tid: int, where: int, **fields) -> Task:
    fields.setdefault("service", 15 * 60)
    return Task(id=tid, location_index=where, **fields)


def field_day(seed: int = 3, visits: int = 40) -> Problem:
    """Three technicians from their own homes, skills, lunch, two-window and pinned visits."""
    rnd = random.Random(seed)
    homes = [(0, 0), (30, 0), (0, 30)]
    points = homes + [(rnd.randint(0, 30), rnd.randint(0, 30)) for _ in range(visits)]
    vehicles = tuple(
        day_vehicle(
            k + 1,
            start_index=k,
            end_index=k,
            skills=frozenset({(1, 2)}) if k != 1 else frozenset({(2, 1)}),
            breaks=(lunch(),),
        )
        for k in range(3)
    )
    tasks = []
    for n in range(visits):
        fields = {"priority": rnd.choice([10, 50, 100])}
        if n % 5 == 0:
            fields["skills"] = frozenset({(1, 1)})
        if n % 7 == 0:
            fields["windows"] = (
                TimeWindow(8 * HOUR, 10 * HOUR),
                TimeWindow(15 * HOUR, 17 * HOUR),
            )
        elif n % 3 == 0:
            start = rnd.choice([8, 10, 12, 14, 16])
            fields["windows"] = (TimeWindow(start * HOUR, (start + 2) * HOUR),)
        if n == 4:
            fields["pinned_vehicle_id"] = 2
        tasks.append(task(100 + n, 3 + n, service=rnd.choice([20, 30, 45]) * 60, **fields))
    return Problem(vehicles, tuple(tasks), euclid_durations(points), coordinates=points)


def route_violations(problem: Problem, route: Route) -> list[str]:
    """List hard-rule violations in a planned route, recomputed from the problem data."""
    vehicle = problem.vehicle_by_id[route.vehicle_id]
    found = []
    steps = route.steps
    if steps[0].kind is not StepKind.START or steps[-1].kind is not StepKind.END:
        found.append("route does not run from start to end")
    if steps[0].start < vehicle.shift.start or steps[-1].arrival > vehicle.shift.end:
        found.append("route leaves the shift")
    tasks = [problem.task_by_id[s.id] for s in steps if s.kind is StepKind.TASK]
    if vehicle.max_tasks is not None and len(tasks) > vehicle.max_tasks:
        found.append("too many tasks")
    owned = dict(map(skill_level, vehicle.skills))
    for task in tasks:
        if any(owned.get(sid, -1) < level for sid, level in map(skill_level, task.skills)):
            found.append(f"task {task.id} lacks a skill")
        if task.pinned_vehicle_id not in (None, vehicle.id):
            found.append(f"task {task.id} is pinned elsewhere")
    taken = sorted(s.id for s in steps if s.kind is StepKind.BREAK)
    if taken != sorted(b.id for b in vehicle.breaks):
        found.append(f"breaks taken {taken}")
    breaks = {b.id: b for b in vehicle.breaks}
    depart, place, break_time, break_end = steps[0].start, vehicle.start_index, 0, 0
    for step in steps[1:]:
        if step.start < step.arrival:
            found.append(f"step {step.id} starts before it arrives")
        if step.kind is StepKind.BREAK:
            brk = breaks[step.id]
            if not any(w.start <= step.start <= w.end for w in brk.windows):
                found.append(f"break {step.id} at {step.start} is outside its windows")
            break_time, break_end = break_time + brk.service, step.start + brk.service
            continue
        travel = problem.travel(place, step.location_index)
        if vehicle.speed_factor != 1:
            travel = round(travel / vehicle.speed_factor)
        if step.arrival < max(depart + travel + break_time, break_end):
            found.append(f"step {step.id} arrives sooner than travel and breaks allow")
        if step.kind is StepKind.TASK:
            task = problem.task_by_id[step.id]
            windows = task.windows
            if task.pinned_time is not None:
                windows = (TimeWindow(task.pinned_time, task.pinned_time + PINNED_TIME_SLACK_S),)
            if windows and not any(w.start <= step.start <= w.end for w in windows):
                found.append(f"task {task.id} starts at {step.start}, outside its windows")
            depart = step.start + task.service
        place, break_time, break_end = step.location_index, 0, 0
    if vehicle.max_duration is not None:
        # Travel and service cannot be avoided, whenever the day starts: a lower bound.
        tasks_time = sum(t.service for t in tasks)
        if route.travel_time + tasks_time > vehicle.max_duration:
            found.append("works longer than the maximum duration")
    return found


def assert_routes_keep_rules(problem: Problem, routes) -> None:
    """Assert that every route keeps every hard rule."""
    problems = {r.vehicle_id: route_violations(problem, r) for r in routes}
    assert {vid: v for vid, v in problems.items() if v} == {}


def euclid_durations(points: list[tuple[int, int]], seconds_per_unit: int = 60) -> list[list[int]]:
    """Straight-line travel times between points, rounded to seconds."""
    return [
        [round(((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 * seconds_per_unit) for bx, by in points]
        for ax, ay in points
    ]


def planned_route(problem: Problem, vehicle_id: int, items) -> Route:
    """Time a hand-made route; fail the test if it is not feasible itself."""
    route = timed_route(problem, problem.vehicle_by_id[vehicle_id], items)
    assert route is not None, "the test's own route must be feasible"
    return route
