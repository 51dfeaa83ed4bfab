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
# A route that breaks a rule tries this many of its cheapest removals before dropping the
# cheapest outright (a long route would otherwise re-time every removal at every break place).
_REMOVALS_TRIED = 6


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
        # Cheapest loss first; the first removal after which the rest fits is taken, and when
        # none fits alone the cheapest goes and the search goes on.
        losses = sorted(
            range(len(tasks)),
            key=lambda k: (
                rules.unplanned_cost(tasks[k]) - _travel_saved(problem, vehicle, tasks, k)
            ),
        )
        chosen = next(
            (
                k
                for k in losses[:_REMOVALS_TRIED]
                if with_breaks(problem, vehicle, tasks[:k] + tasks[k + 1 :])
            ),
            losses[0],
        )
        dropped.append(tasks.pop(chosen))


def with_breaks(problem: Problem, vehicle: Vehicle, tasks: Sequence[Task]) -> Route | None:
    """Time the tasks in order with the vehicle's breaks placed where they fit, or None."""
    breaks = sorted(vehicle.breaks, key=lambda b: min((w.start for w in b.windows), default=0))
    if not breaks:
        return timed_route(problem, vehicle, tasks)
    if len(breaks) <= _EXHAUSTIVE_BREAKS:
        plain = timed_route(problem, vehicle, tasks)
        if plain is None and vehicle.max_duration is None:
            return None  # breaks only make a day longer: no placement can save it
        starts = [s.start for s in plain.steps[1:-1]] if plain else [0] * len(tasks)
        ends = [start + t.service for start, t in zip(starts, tasks, strict=True)]
        possible = [
            at
            for at in _placements(len(tasks), len(breaks))
            if not _after_windows_close(ends, breaks, at)
        ]
        for positions in sorted(possible, key=lambda at: _distance_to_windows(starts, breaks, at)):
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


def _after_windows_close(ends: list[int], breaks: Sequence[Break], positions) -> bool:
    """Tell whether a break would come after a visit that ends, even at the earliest, after
    the break's last window closes (times only move later once breaks are added)."""
    return any(
        at > 0 and ends[at - 1] > max(w.end for w in brk.windows)
        for brk, at in zip(breaks, positions, strict=True)
    )


def _distance_to_windows(starts: list[int], breaks: Sequence[Break], positions) -> int:
    """How far the break positions lie from the break windows on the schedule without breaks;
    the placements nearest the windows are tried first."""
    total = 0
    for brk, at in zip(breaks, positions, strict=True):
        start = starts[at] if at < len(starts) else (starts[-1] if starts else 0)
        total += min(abs(start - w.start) + abs(start - w.end) for w in brk.windows)
    return total


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
