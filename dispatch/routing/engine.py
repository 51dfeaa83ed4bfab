"""Solver-neutral routing model, the Solver protocol and cheapest insertion of one visit.

Times are integer seconds on one clock (e.g. seconds since local midnight of the planned day);
locations are indices into the problem's matrices. Nothing here knows about the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Protocol

import numpy as np

from dispatch.routing import rules
from dispatch.routing.rules import TimeWindow

__all__ = [
    "Break",
    "Insertion",
    "Problem",
    "ProblemWithPlace",
    "Route",
    "Skill",
    "Solution",
    "Solver",
    "Step",
    "StepKind",
    "Task",
    "TimeWindow",
    "Unassigned",
    "Vehicle",
    "insert",
    "route_items",
    "timed_route",
    "with_place",
    "working_time",
]

Skill = int | tuple[int, int]  # a bare skill id, or (skill id, minimum level)


@dataclass(frozen=True)
class Break:
    """A break the technician must take inside one of its windows, e.g. lunch."""

    id: int
    windows: tuple[TimeWindow, ...]
    service: int


@dataclass(frozen=True)
class Vehicle:
    """A technician's working day: shift, home/depot locations, skills and limits."""

    id: int
    shift: TimeWindow
    start_index: int | None = None  # None: the day starts at the first visit
    end_index: int | None = None  # None: the day ends at the last visit
    skills: frozenset[Skill] = frozenset()
    breaks: tuple[Break, ...] = ()
    capacity: int | None = None
    max_tasks: int | None = None
    max_travel_time: int | None = None
    # Working time (leaving the start to reaching the end, breaks not counted) may be shorter
    # than the shift: "at most 8 h of work anywhere in 07:00-19:00". The departure is as late
    # as the route allows, so waiting before the first visit is not counted.
    max_duration: int | None = None
    speed_factor: float = 1.0  # above 1 drives faster: every travel time is divided by it

    @cached_property
    def skill_levels(self) -> dict[int, int]:
        """The highest level owned of each skill id (worked out once per vehicle)."""
        return rules.skill_levels(self.skills)


@dataclass(frozen=True)
class Task:
    """One visit to plan: where, how long, who may do it and when it may start."""

    id: int
    location_index: int
    service: int = 0
    skills: frozenset[Skill] = frozenset()
    windows: tuple[TimeWindow, ...] = ()  # allowed service starts; empty means any time
    priority: int = 0  # 0..100, higher is planned first when not everything fits
    demand: int = 0
    pinned_vehicle_id: int | None = None
    pinned_time: int | None = None
    # What leaving the task unplanned costs, in seconds of travel; None: by priority
    # (rules.unplanned_cost). Solvers trade it against the travel a visit adds.
    unplanned_cost: int | None = None


@dataclass(frozen=True)
class Problem:
    """Vehicles, tasks and the travel matrices between their locations."""

    vehicles: tuple[Vehicle, ...]
    tasks: tuple[Task, ...]
    durations: Sequence[Sequence[int]]  # seconds, square, lists or a numpy array
    distances: Sequence[Sequence[int]] | None = None  # metres, same shape, for reporting
    # Planar (x, y) per location, optional: PyVRP's SWAP* operator sorts clients into sectors
    # around the depot by them; without coordinates it searches noticeably worse.
    coordinates: Sequence[tuple[int, int]] | None = None

    @cached_property
    def _duration_rows(self) -> list[list[int]]:
        # Plain lists: scalar lookups on them are several times faster than on numpy arrays.
        return _int_rows(self.durations)

    @cached_property
    def _distance_rows(self) -> list[list[int]] | None:
        return None if self.distances is None else _int_rows(self.distances)

    @cached_property
    def task_by_id(self) -> dict[int, Task]:
        return {t.id: t for t in self.tasks}

    @cached_property
    def vehicle_by_id(self) -> dict[int, Vehicle]:
        return {v.id: v for v in self.vehicles}

    def travel(self, origin: int | None, destination: int | None) -> int:
        """Return the travel time; an open route end (None) costs nothing."""
        if origin is None or destination is None:
            return 0
        return self._duration_rows[origin][destination]

    def vehicle_travel(self, vehicle: Vehicle, origin: int | None, destination: int | None) -> int:
        """Return the travel time of this vehicle, at its own speed."""
        return rules.scaled_travel(self.travel(origin, destination), vehicle.speed_factor)

    @cached_property
    def _duration_array(self) -> np.ndarray:
        return np.asarray(self.durations, dtype=np.int64)

    def travel_matrix(self, speed_factor: float = 1.0) -> np.ndarray:
        """Return the duration matrix (int64) at a speed, as the solver backends take it."""
        base = self._duration_array
        if speed_factor == 1:
            return base
        return np.rint(base / speed_factor).astype(np.int64)

    def distance(self, origin: int | None, destination: int | None) -> int:
        """Return the distance, or 0 when the problem has no distance matrix."""
        rows = self._distance_rows
        if rows is None or origin is None or destination is None:
            return 0
        return rows[origin][destination]


def _int_rows(matrix) -> list[list[int]]:
    """Return a matrix as lists of Python ints; lists of ints (travel tables) are used as they
    are, since converting a 550 x 550 day again costs more than the rest of its build."""
    if isinstance(matrix, np.ndarray):
        return matrix.astype(np.int64).tolist()
    if isinstance(matrix, list) and all(
        isinstance(row, list) and all(type(x) is int for x in row[:1]) for row in matrix
    ):
        return matrix
    return [[int(x) for x in row] for row in matrix]


@dataclass(frozen=True)
class ProblemWithPlace(Problem):
    """A problem plus one more place (a visit not booked yet) sharing the base's matrices.

    Slot search asks "where could a new visit fit?" many times against the same day; copying
    a 550 × 550 matrix for each question would cost more than the insertion itself.
    """

    base: Problem | None = None
    to_place: tuple[int, ...] = ()  # seconds from each base location to the place
    from_place: tuple[int, ...] = ()  # seconds from the place to each base location

    @property
    def place_index(self) -> int:
        return len(self.to_place)

    @property
    def _duration_rows(self) -> list[list[int]]:
        return self.base._duration_rows

    @property
    def _distance_rows(self) -> list[list[int]] | None:
        return None  # a place not booked yet has no distance to report

    def travel(self, origin: int | None, destination: int | None) -> int:
        """Return the travel time, reading the place's own row and column."""
        place = self.place_index
        if origin is None or destination is None or origin == destination == place:
            return 0
        if origin == place:
            return self.from_place[destination]
        if destination == place:
            return self.to_place[origin]
        return self.base._duration_rows[origin][destination]


def with_place(problem: Problem, to_place: Sequence[int], from_place: Sequence[int]):
    """Return the problem extended by one place, and that place's location index."""
    extended = ProblemWithPlace(
        vehicles=problem.vehicles,
        tasks=problem.tasks,
        durations=problem.durations,
        base=problem,
        to_place=tuple(to_place),
        from_place=tuple(from_place),
    )
    return extended, extended.place_index


class StepKind(StrEnum):
    START = "start"
    TASK = "task"
    BREAK = "break"
    END = "end"


@dataclass(frozen=True)
class Step:
    """One stop of a route: arrival and service start (they differ by the waiting time)."""

    kind: StepKind
    id: int | None  # task or break id
    location_index: int | None
    arrival: int
    start: int


@dataclass(frozen=True)
class Route:
    vehicle_id: int
    steps: tuple[Step, ...]
    travel_time: int
    distance: int = 0
    # Made by `timed_route`: its steps are the engine's own timing of a feasible order, so
    # insertion reads them instead of timing the route again for every question.
    timed: bool = field(default=False, compare=False)

    @property
    def task_ids(self) -> list[int]:
        return [s.id for s in self.steps if s.kind is StepKind.TASK]


@dataclass(frozen=True)
class Unassigned:
    task_id: int
    reason: str  # one of the reason constants in dispatch.routing.rules


@dataclass(frozen=True)
class Solution:
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    solver: str = ""

    @property
    def travel_time(self) -> int:
        return sum(r.travel_time for r in self.routes)

    def cost(self, problem: Problem) -> int:
        """Return the objective: travel time plus what the unplanned tasks cost by priority."""
        return self.travel_time + sum(
            rules.unplanned_cost(problem.task_by_id[u.task_id]) for u in self.unassigned
        )


class Solver(Protocol):
    name: str

    def solve(self, problem: Problem, time_limit_s: float) -> Solution:
        """Plan the tasks on the vehicles within the time limit."""
        ...


@dataclass(frozen=True)
class Insertion:
    vehicle_id: int
    position: int  # index of the new task in route.steps
    extra_travel: int  # seconds of travel the insertion adds
    route: Route


Item = Task | Break  # what a route visits between its start and its end
Times = list[tuple[int, int]]  # (arrival, start) per item, then the end


def timed_route(problem: Problem, vehicle: Vehicle, items: Sequence[Item]) -> Route | None:
    """Time a visiting order at the earliest, or return None when it breaks a hard rule."""
    tasks = [i for i in items if isinstance(i, Task)]
    travel = _travel(problem, vehicle, items)
    if not _within_limits(vehicle, tasks) or not _travel_allowed(vehicle, travel):
        return None
    timed = _propagate(problem, vehicle, vehicle.start_index, vehicle.shift.start, items, None)
    if timed is None or not _duration_allowed(problem, vehicle, items, timed[0]):
        return None
    times = timed[0]
    day_start = vehicle.shift.start
    steps = [Step(StepKind.START, None, vehicle.start_index, day_start, day_start)]
    for item, (arrival, start) in zip(items, times, strict=False):
        if isinstance(item, Break):
            steps.append(Step(StepKind.BREAK, item.id, None, arrival, start))
        else:
            steps.append(Step(StepKind.TASK, item.id, item.location_index, arrival, start))
    steps.append(Step(StepKind.END, None, vehicle.end_index, times[-1][0], times[-1][1]))
    return Route(
        vehicle_id=vehicle.id,
        steps=tuple(steps),
        travel_time=travel,
        distance=sum(problem.distance(a, b) for a, b in _legs(vehicle, items)),
        timed=True,
    )


def working_time(problem: Problem, vehicle: Vehicle, items: Sequence[Item]) -> int | None:
    """Return the least working time of a visiting order (departing as late as it allows).

    Working time runs from leaving the start to reaching the end, less the breaks. Every time
    only moves later when the departure does, so the latest feasible departure is found by
    bisection; None when the order is infeasible even at the start of the shift.
    """
    timed = _propagate(problem, vehicle, vehicle.start_index, vehicle.shift.start, items, None)
    if timed is None:
        return None
    return _working_time(problem, vehicle, items, timed[0])


def _working_time(problem: Problem, vehicle: Vehicle, items: Sequence[Item], times: Times) -> int:
    def end(depart: int) -> int | None:
        timed = _propagate(problem, vehicle, vehicle.start_index, depart, items, None)
        return None if timed is None else timed[0][-1][0]

    early, late = vehicle.shift.start, times[-1][0]  # feasible, and surely not later than this
    while early < late:
        middle = (early + late + 1) // 2
        if end(middle) is None:
            late = middle - 1
        else:
            early = middle
    breaks = sum(i.service for i in items if isinstance(i, Break))
    return end(early) - early - breaks


def _duration_allowed(problem: Problem, vehicle: Vehicle, items: Sequence[Item], times) -> bool:
    if vehicle.max_duration is None:
        return True
    return _working_time(problem, vehicle, items, times) <= vehicle.max_duration


def insert(
    problem: Problem, existing_routes: Sequence[Route], new_task: Task
) -> Insertion | Unassigned:
    """Find the feasible insertion of one task that adds the least travel time."""
    reason = rules.diagnose(problem, new_task)
    if reason is not None:
        return Unassigned(new_task.id, reason)
    routes = {r.vehicle_id: r for r in existing_routes}
    candidates = []
    for vehicle in problem.vehicles:
        if not rules.serves(vehicle, new_task):
            continue
        route = routes.get(vehicle.id)
        items = _items(problem, vehicle, route)
        candidates.extend(_positions(problem, vehicle, items, new_task, route))
    # Cheapest first: the first feasible candidate is the answer, most are never timed.
    candidates.sort(key=lambda c: c[0])
    for extra, vehicle, items, position, base, travel in candidates:
        if not _travel_allowed(vehicle, travel + extra):
            continue
        # The shortcut of _fits stops where the old schedule is met again; a working-time limit
        # depends on the whole day, so such a vehicle is checked by timing the whole route.
        if vehicle.max_duration is not None or _fits(
            problem, vehicle, items, position, base, new_task
        ):
            new_items = [*items[:position], new_task, *items[position:]]
            route = timed_route(problem, vehicle, new_items)
            if route is not None:
                return Insertion(vehicle.id, position + 1, extra, route)
    return Unassigned(new_task.id, rules.NO_FEASIBLE_SLOT)


def route_items(problem: Problem, route: Route) -> list[Item]:
    """Return the tasks and breaks a planned route visits, in order."""
    breaks = {b.id: b for b in problem.vehicle_by_id[route.vehicle_id].breaks}
    return [
        problem.task_by_id[s.id] if s.kind is StepKind.TASK else breaks[s.id]
        for s in route.steps
        if s.kind in (StepKind.TASK, StepKind.BREAK)
    ]


def _items(problem: Problem, vehicle: Vehicle, route: Route | None) -> list[Item]:
    if route is None:
        # An idle technician still takes every break; place them in window order.
        return sorted(vehicle.breaks, key=lambda b: min((w.start for w in b.windows), default=0))
    return route_items(problem, route)


def _positions(
    problem: Problem, vehicle: Vehicle, items: list[Item], new_task: Task, route: Route | None
) -> list:
    """List (extra travel, vehicle, items, position, old starts, old travel) for each gap."""
    tasks = [i for i in items if isinstance(i, Task)]
    if route is not None and route.timed and route.vehicle_id == vehicle.id:
        # Timed by the engine, so feasible and serving only what the vehicle may serve: its
        # steps are the starts, its travel the travel (START, one step an item, END).
        if not _within_limits(vehicle, [*tasks, new_task], check_skills=False):
            return []
        base = [step.start for step in route.steps[1:-1]]
        travel = route.travel_time
    else:
        if not _within_limits(vehicle, [*tasks, new_task]):
            return []
        timed = _propagate(problem, vehicle, vehicle.start_index, vehicle.shift.start, items, None)
        if timed is None:
            # The route as given already breaks a rule (e.g. it was edited by hand); adding a
            # visit cannot repair it, so it offers no slot.
            return []
        base = [start for _, start in timed[0][: len(items)]]
        travel = _travel(problem, vehicle, items)
    places = _places(vehicle, items)  # start, each task's location, end
    # Where _fits alone decides, a gap left later than the new task's windows close cannot
    # take it, nor can any gap after it: those are not listed.
    closes = max((w.end for w in rules.effective_windows(new_task)), default=None)
    if vehicle.max_duration is not None:
        closes = None
    out = []
    place = 0  # index in places of the last non-break location before the gap
    leave = vehicle.shift.start  # when the last task before the gap is done (or the shift starts)
    for position in range(len(items) + 1):
        if closes is not None and leave > closes:
            break
        before, after = places[place], places[place + 1]
        extra = (
            problem.vehicle_travel(vehicle, before, new_task.location_index)
            + problem.vehicle_travel(vehicle, new_task.location_index, after)
            - problem.vehicle_travel(vehicle, before, after)
        )
        out.append((extra, vehicle, items, position, base, travel))
        if position < len(items) and isinstance(items[position], Task):
            place += 1
            leave = base[position] + items[position].service
    return out


def _fits(
    problem: Problem,
    vehicle: Vehicle,
    items: list[Item],
    position: int,
    base: list[int],
    new_task: Task,
) -> bool:
    """Propagate times from the gap onward, stopping as soon as the old schedule is met again."""
    last = next((k for k in range(position - 1, -1, -1) if isinstance(items[k], Task)), None)
    if last is None:
        origin, depart = vehicle.start_index, vehicle.shift.start
    else:
        origin, depart = items[last].location_index, base[last] + items[last].service
    first = 0 if last is None else last + 1
    rest = [*items[first:position], new_task, *items[position:]]
    rest_base = [None] * (position - first + 1) + base[position:]
    return _propagate(problem, vehicle, origin, depart, rest, rest_base) is not None


def _propagate(
    problem: Problem,
    vehicle: Vehicle,
    origin: int | None,
    depart: int,
    items: Sequence[Item],
    base: Sequence[int | None] | None,
) -> tuple[Times, bool] | None:
    """Time items after leaving origin at depart; (times, met old schedule) or None if late."""
    times: Times = []
    pending: list[Break] = []
    now, place = depart, origin
    for k, item in enumerate(items):
        if isinstance(item, Break):
            pending.append(item)
            continue
        arrival = _arrive(problem, vehicle, now, place, item.location_index, pending, times)
        if arrival is None:
            return None
        start = rules.earliest_start(rules.effective_windows(item), arrival)
        if start is None or start + item.service > vehicle.shift.end:
            return None
        times.append((arrival, start))
        if base is not None and base[k] == start:
            return times, True  # same start as before, so everything after is unchanged
        now, place, pending = start + item.service, item.location_index, []
    arrival = _arrive(problem, vehicle, now, place, vehicle.end_index, pending, times)
    if arrival is None or arrival > vehicle.shift.end:
        return None
    times.append((arrival, arrival))
    return times, False


def _arrive(
    problem: Problem,
    vehicle: Vehicle,
    now: int,
    origin: int | None,
    destination: int | None,
    breaks: list[Break],
    times: Times,
) -> int | None:
    """Drive one leg taking the pending breaks; record their times and return the arrival."""
    travel = problem.vehicle_travel(vehicle, origin, destination)
    timed = rules.travel_with_breaks(now, travel, [(b.windows, b.service) for b in breaks])
    if timed is None:
        return None
    starts, arrival = timed
    times.extend((s, s) for s in starts)
    return arrival


def _within_limits(vehicle: Vehicle, tasks: Sequence[Task], check_skills: bool = True) -> bool:
    if vehicle.max_tasks is not None and len(tasks) > vehicle.max_tasks:
        return False
    if vehicle.capacity is not None and sum(t.demand for t in tasks) > vehicle.capacity:
        return False
    return not check_skills or all(rules.serves(vehicle, t) for t in tasks)


def _travel_allowed(vehicle: Vehicle, travel: int) -> bool:
    return vehicle.max_travel_time is None or travel <= vehicle.max_travel_time


def _travel(problem: Problem, vehicle: Vehicle, items: Sequence[Item]) -> int:
    return sum(problem.vehicle_travel(vehicle, a, b) for a, b in _legs(vehicle, items))


def _places(vehicle: Vehicle, items: Sequence[Item]) -> list[int | None]:
    tasks = [i.location_index for i in items if isinstance(i, Task)]
    return [vehicle.start_index, *tasks, vehicle.end_index]


def _legs(vehicle: Vehicle, items: Sequence[Item]) -> list[tuple[int | None, int | None]]:
    places = _places(vehicle, items)
    return list(zip(places, places[1:], strict=False))
