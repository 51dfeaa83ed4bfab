"""Independent feasibility checker and cost of a field-day plan (written apart from the engine).

A plan is, per technician, the ordered visits and breaks it does. The checker times each route
itself: a break taken on the way to a visit starts inside its window no earlier than the
departure, and the arrival is no earlier than departure + travel + the breaks on the leg, nor
before the last break ends; a visit starts in one of its windows; the route ends within the
shift. Then skills, pins, loads, task count, travel limit, every break exactly once, and the
working time (from the latest departure that keeps the route on time, breaks not counted).
Cost = travel + the unplanned cost of every visit not planned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dispatch.routing.engine import Problem

Plan = dict[int, Sequence[tuple[str, int]]]  # vehicle id -> [("task" | "break", id), ...]


@dataclass(frozen=True)
class Check:
    travel: int
    unplanned: tuple[int, ...]
    cost: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def plan_of(solution) -> Plan:
    """Return the plan of an engine Solution (tasks and breaks in route order)."""
    return {
        r.vehicle_id: [(s.kind.value, s.id) for s in r.steps if s.kind.value in ("task", "break")]
        for r in solution.routes
    }


def check(problem: Problem, plan: Plan) -> Check:
    """Check a plan against the problem and return its travel, cost and violations."""
    tasks = {t.id: t for t in problem.tasks}
    vehicles = {v.id: v for v in problem.vehicles}
    violations = []
    seen = Counter(i for items in plan.values() for kind, i in items if kind == "task")
    violations += [f"task {t} planned {n} times" for t, n in seen.items() if n > 1]
    violations += [f"unknown task {t}" for t in seen if t not in tasks]
    violations += [f"unknown vehicle {v}" for v in plan if v not in vehicles]
    travel = 0
    for vid, items in plan.items():
        if vid not in vehicles or not items:
            continue
        leg_travel, problems = _route(problem, vehicles[vid], tasks, items)
        travel += leg_travel
        violations += [f"vehicle {vid}: {p}" for p in problems]
    unplanned = tuple(t.id for t in problem.tasks if t.id not in seen)
    cost = travel + sum(_unplanned_cost(tasks[t]) for t in unplanned)
    return Check(travel, unplanned, cost, tuple(violations))


def _unplanned_cost(task) -> int:
    if task.unplanned_cost is None:
        raise ValueError("field-day tasks carry their unplanned cost")
    return task.unplanned_cost


def _leg(problem: Problem, vehicle, a, b) -> int:
    if a is None or b is None:
        return 0
    seconds = int(problem.durations[a][b])
    return seconds if vehicle.speed_factor == 1 else round(seconds / vehicle.speed_factor)


def _route(problem, vehicle, tasks, items) -> tuple[int, list[str]]:
    problems = []
    planned = [tasks[i] for kind, i in items if kind == "task" and i in tasks]
    for task in planned:
        owned: dict[int, int] = {}
        for skill in vehicle.skills:
            sid, level = skill if isinstance(skill, tuple) else (skill, 0)
            owned[sid] = max(owned.get(sid, level), level)
        for skill in task.skills:
            sid, level = skill if isinstance(skill, tuple) else (skill, 0)
            if owned.get(sid, -1) < level:
                problems.append(f"task {task.id} needs skill {sid} at level {level}")
        if task.pinned_vehicle_id not in (None, vehicle.id):
            problems.append(f"task {task.id} is pinned to vehicle {task.pinned_vehicle_id}")
    if vehicle.capacity is not None and sum(t.demand for t in planned) > vehicle.capacity:
        problems.append("load exceeds capacity")
    if vehicle.max_tasks is not None and len(planned) > vehicle.max_tasks:
        problems.append("too many tasks")
    taken = Counter(i for kind, i in items if kind == "break")
    if taken != Counter(b.id for b in vehicle.breaks):
        problems.append(f"breaks taken {sorted(taken.elements())}")
    places = [vehicle.start_index, *(t.location_index for t in planned), vehicle.end_index]
    travel = sum(_leg(problem, vehicle, a, b) for a, b in zip(places, places[1:], strict=False))
    if vehicle.max_travel_time is not None and travel > vehicle.max_travel_time:
        problems.append("travel exceeds the limit")
    end = _drive(problem, vehicle, tasks, items, vehicle.shift.start, problems)
    if end is not None and vehicle.max_duration is not None:
        early, late = vehicle.shift.start, end
        while early < late:  # the latest departure that is still on time
            middle = (early + late + 1) // 2
            if _drive(problem, vehicle, tasks, items, middle, []) is None:
                late = middle - 1
            else:
                early = middle
        breaks = {b.id: b.service for b in vehicle.breaks}
        work = _drive(problem, vehicle, tasks, items, early, []) - early
        work -= sum(breaks.get(i, 0) for kind, i in items if kind == "break")
        if work > vehicle.max_duration:
            problems.append(f"works {work}, more than {vehicle.max_duration}")
    return travel, problems


def _drive(problem, vehicle, tasks, items, depart, problems) -> int | None:
    """Time the route leaving at `depart`; return the end arrival, or None (noting why)."""
    breaks = {b.id: b for b in vehicle.breaks}
    now, place, on_leg = depart, vehicle.start_index, []
    for kind, ident in [*items, ("end", None)]:
        if kind == "break":
            if ident in breaks:
                on_leg.append(breaks[ident])
            continue
        if kind == "task" and ident not in tasks:
            continue
        target = tasks[ident].location_index if kind == "task" else vehicle.end_index
        leg = _leg(problem, vehicle, place, target)
        clock, resting = now, 0
        for brk in on_leg:
            starts = [max(clock, w.start) for w in brk.windows if max(clock, w.start) <= w.end]
            if not starts:
                problems.append(f"break {brk.id} misses its window")
                return None
            clock = min(starts) + brk.service
            resting += brk.service
        arrival = max(now + leg + resting, clock)
        if kind == "end":
            if arrival > vehicle.shift.end:
                problems.append(f"ends at {arrival}, after the shift")
                return None
            return arrival
        task = tasks[ident]
        windows = [(w.start, w.end) for w in task.windows]
        if task.pinned_time is not None:  # the dispatcher's time, five minutes' grace
            windows = [(task.pinned_time, task.pinned_time + 300)]
        options = [max(arrival, a) for a, b in windows if max(arrival, a) <= b]
        if windows and not options:
            problems.append(f"task {ident} reached at {arrival}, after its windows")
            return None
        start = min(options) if options else arrival
        if start + task.service > vehicle.shift.end:
            problems.append(f"task {ident} ends after the shift")
            return None
        now, place, on_leg = start + task.service, task.location_index, []
    return None  # pragma: no cover - the loop always returns at the end step
