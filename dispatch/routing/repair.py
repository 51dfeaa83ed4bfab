"""Make a solver's routes keep every rule of the engine: place breaks, drop, re-insert.

Backends that cannot model something (PyVRP: breaks and absences; VROOM: working-time limits)
hand their routes here. Each route is re-timed by `engine.timed_route`, the one definition of
feasible; a route that fails gets its breaks placed where they fit, and if no placement fits,
loses the visits whose removal costs least until it does. Dropped visits are then offered to
every route by cheapest insertion, and what still does not fit is reported unassigned.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from dispatch.routing import rules
from dispatch.routing.engine import (
    Break,
    Insertion,
    Problem,
    Route,
    Solution,
    Task,
    Vehicle,
    insert,
    route_items,
    timed_route,
)

# More breaks than this in one day are placed one at a time instead of trying every combination.
_EXHAUSTIVE_BREAKS = 2


def repair(problem: Problem, solution: Solution) -> Solution:
    """Return the solution with every route feasible by the engine's rules, dropping the least."""
    routes: list[Route] = []
    left: list[Task] = []
    for route in solution.routes:
        vehicle = problem.vehicle_by_id[route.vehicle_id]
        items = route_items(problem, route)
        taken = sorted(i.id for i in items if isinstance(i, Break))
        every_break = taken == sorted(b.id for b in vehicle.breaks)
        kept = timed_route(problem, vehicle, items) if every_break else None
        if kept is None:
            tasks = [i for i in items if isinstance(i, Task)]
            kept, dropped = feasible_route(problem, vehicle, tasks)
            left.extend(dropped)
        routes.append(kept)
    left.extend(problem.task_by_id[u.task_id] for u in solution.unassigned)
    unassigned = []
    for task in sorted(left, key=rules.unplanned_cost, reverse=True):
        found = insert(problem, routes, task)
        if isinstance(found, Insertion):
            routes = [r for r in routes if r.vehicle_id != found.vehicle_id] + [found.route]
        else:
            unassigned.append(found)
    order = {v.id: k for k, v in enumerate(problem.vehicles)}
    routes.sort(key=lambda r: order[r.vehicle_id])
    return Solution(tuple(routes), tuple(unassigned), solution.solver)


def feasible_route(
    problem: Problem, vehicle: Vehicle, tasks: Sequence[Task]
) -> tuple[Route, list[Task]]:
    """Return a feasible route of the tasks in their order, and the tasks it had to leave out.

    Breaks go wherever the order allows them; when nowhere, the task whose removal costs least
    (its unplanned cost less the travel it saves) leaves, until the rest fits.
    """
    tasks, dropped = list(tasks), []
    while True:
        route = with_breaks(problem, vehicle, tasks)
        if route is not None:
            return route, dropped
        best = None
        for k, task in enumerate(tasks):
            rest = tasks[:k] + tasks[k + 1 :]
            shorter = with_breaks(problem, vehicle, rest)
            loss = rules.unplanned_cost(task) - _travel_saved(problem, vehicle, tasks, k)
            key = (shorter is None, loss)
            if best is None or key < best[0]:
                best = (key, k)
        dropped.append(tasks.pop(best[1]))


def with_breaks(problem: Problem, vehicle: Vehicle, tasks: Sequence[Task]) -> Route | None:
    """Time the tasks in order with the vehicle's breaks placed where they fit, or None."""
    breaks = sorted(vehicle.breaks, key=lambda b: min((w.start for w in b.windows), default=0))
    if not breaks:
        return timed_route(problem, vehicle, tasks)
    if len(breaks) <= _EXHAUSTIVE_BREAKS:
        for positions in _placements(len(tasks), len(breaks)):
            route = timed_route(problem, vehicle, _merge(tasks, breaks, positions))
            if route is not None:
                return route
        return None
    items: list[Task | Break] = list(tasks)
    for brk in breaks:  # one at a time: each at the first position the route still fits
        for at in range(len(items) + 1):
            trial = [*items[:at], brk, *items[at:]]
            if timed_route(problem, vehicle, trial) is not None:
                items = trial
                break
        else:
            return None
    return timed_route(problem, vehicle, items)


def _placements(size: int, count: int):
    """Yield non-decreasing positions (0..size) for `count` breaks, in order."""
    for chosen in combinations(range(size + count), count):
        yield [c - k for k, c in enumerate(chosen)]


def _merge(tasks: Sequence[Task], breaks: Sequence[Break], positions: Sequence[int]) -> list:
    items: list[Task | Break] = []
    k = 0
    for at, task in enumerate(tasks):
        while k < len(breaks) and positions[k] == at:
            items.append(breaks[k])
            k += 1
        items.append(task)
    items.extend(breaks[k:])
    return items


def _travel_saved(problem: Problem, vehicle: Vehicle, tasks: Sequence[Task], k: int) -> int:
    places = [vehicle.start_index, *(t.location_index for t in tasks), vehicle.end_index]
    before, here, after = places[k], places[k + 1], places[k + 2]
    return (
        problem.vehicle_travel(vehicle, before, here)
        + problem.vehicle_travel(vehicle, here, after)
        - problem.vehicle_travel(vehicle, before, after)
    )
