"""Quality backend: PyVRP on the engine's field model, searched by PyVRP's iterated local
search or, for larger problems with budget enough (`uses_genetic_search`), by our hybrid
genetic search (`genetic`) built on PyVRP's local search.

How each rule is expressed:
- skills and pins: vehicles that may serve the same tasks at the same speed share a routing
  profile; in a profile, the tasks its vehicles may not serve are unreachable;
- speed factor: that profile's durations are divided by it;
- several windows per visit: one client per window, in a mutually exclusive client group;
- priorities and more work than fits: every client is optional, its prize the task's unplanned
  cost (rules.unplanned_cost), so PyVRP trades travel against leaving visits out as the engine
  does; a visit that must be planned (cost at least rules.MUST_PLAN_COST) is required;
- homes: a depot per start or end place (multi-depot); open route ends: one extra place that
  is zero seconds from everywhere;
- maximum working duration: the vehicle type's shift duration, less its breaks;
- task limit: a second load dimension where every task weighs 1; travel limit: max distance
  (the distance matrix is the travel time, the objective of both backends);
- breaks and absences: PyVRP has none, so `repair` places them in its routes by the engine's
  own timing rules and re-plans what no longer fits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dispatch.routing import genetic, rules
from dispatch.routing.engine import (
    Problem,
    Route,
    Solution,
    Step,
    StepKind,
    Task,
    Unassigned,
    Vehicle,
)
from dispatch.routing.repair import repair

try:
    import pyvrp
    from pyvrp import IteratedLocalSearchParams
    from pyvrp.constants import MAX_VALUE
    from pyvrp.solve import SolveParams
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria
except ImportError:  # pragma: no cover - depends on the installed extras
    pyvrp = None

# A huge travel time that still leaves room to add several of them without overflow. PyVRP's
# own MAX_VALUE (2^44) in a duration matrix made a 1 s solve of SDVRPTW PR02 run for minutes.
FORBIDDEN = 10**12
# How many recent solutions PyVRP's late-acceptance search compares a candidate with: its own
# default. A shorter history (100) was tried in the session of 2026-12-05: SDVRPTW at 10 s,
# all 24 Cordeau instances, 3.72 % mean gap against 4.06 % of an earlier, less loaded run; but
# Solomon at 10 s in the same session 0.348 % against 0.207 % with 300, at 1 s 1.84 % against
# 1.51 %, and SDVRPTW at 60 s worse on PR05 and PR09. Settable per solver for such trials.
HISTORY_LENGTH = 300
# When the hybrid genetic search (`genetic`) replaces PyVRP's own iterated local search: from
# GENETIC_FROM_CLIENTS PyVRP clients (visits, one per window) and a budget of at least
# GENETIC_S_PER_CLIENT a client. Measured 2026-12-05 (issue 16, one process, load 1-7 on two
# shared cores): SDVRPTW at 60 s (48-1008 visits) 1.58 % mean above the best known against the
# ILS planner's 3.59 %; PR17 (72 visits) 0.0 % at 10 s where the ILS stayed 0.62 % at 60 s;
# Solomon at 10 s (100 visits) 0.032 % against 0.167-0.207 % in earlier runs. At 1 s on 100
# visits the population has not converged: Solomon 1.382 % against the ILS's 1.335 % in the same
# session, the generated field days worse on 18 of 36 (C101 and RC101 `all` by 19 %), better
# on 8. Below 50 visits (PR01, PR11: 48) both reach the best known; the ILS starts quicker.
GENETIC_FROM_CLIENTS = 50
GENETIC_S_PER_CLIENT = 0.02  # 2 s for 100 visits, 20 s for 1000


class PyvrpUnavailable(RuntimeError):
    """PyVRP is not installed, so this backend cannot run."""


def available() -> bool:
    """Tell whether the pyvrp package can be imported."""
    return pyvrp is not None


def expresses(problem: Problem) -> bool:
    """Tell whether this backend can plan the problem (it models every rule, breaks by repair)."""
    return bool(problem.vehicles) and bool(problem.tasks)


class PyvrpSolver:
    """Plan with PyVRP; the same seed and an iteration limit give the same plan."""

    name = "pyvrp"

    def __init__(
        self,
        seed: int = 1,
        iterations: int | None = None,
        history_length: int = HISTORY_LENGTH,
        search: str = "auto",
    ) -> None:
        if pyvrp is None:
            raise PyvrpUnavailable(
                "the PyVRP backend needs the 'pyvrp' package: pip install pyvrp==0.14.1"
            )
        self.seed = seed
        self.iterations = iterations
        self.history_length = history_length
        self.search = search  # "auto" (by size), "genetic" or "ils"

    def solve(
        self,
        problem: Problem,
        time_limit_s: float,
        start: Solution | None = None,
        watch: Callable[[float], None] | None = None,
    ) -> Solution:
        """Plan the tasks within the time limit (and the iteration limit, when set).

        `start`, a plan from another backend, is where the search begins (a warm start);
        `watch` is called at every iteration of the search with the seconds it has run.
        """
        if not expresses(problem):
            unassigned = tuple(Unassigned(t.id, _reason(problem, t)) for t in problem.tasks)
            return Solution(routes=(), unassigned=unassigned, solver=self.name)
        began = time.monotonic()
        model = _Model.build(problem)
        # Building the model is part of the budget: the search gets what is left of it.
        left = max(time_limit_s - (time.monotonic() - began), 0.01)
        initial = model.solution(start) if start is not None else None
        if self.search == "genetic" or (
            self.search == "auto" and uses_genetic_search(model.data, left)
        ):
            best = genetic.GeneticSearch(model.data, seed=self.seed).run(
                left, children=self.iterations, initial=initial, watch=watch
            )
        else:
            best = self._iterated(model, left, initial, watch)
        routes = model.routes(best) if best is not None else []
        planned = {t for _, tasks in routes for t in tasks}
        raw = Solution(
            routes=tuple(_untimed(problem, vehicle, tasks) for vehicle, tasks in routes),
            unassigned=tuple(
                Unassigned(t.id, _reason(problem, t)) for t in problem.tasks if t.id not in planned
            ),
            solver=self.name,
        )
        return repair(problem, _drop_empty(raw))

    def _iterated(self, model: _Model, left: float, initial, watch):
        stop = MaxRuntime(left)
        if self.iterations is not None:
            stop = MultipleCriteria([MaxIterations(self.iterations), stop])
        if watch is not None:
            stop = _Watched(stop, watch)
        result = pyvrp.solve(
            model.data,
            stop,
            seed=self.seed,
            collect_stats=False,
            display=False,
            params=SolveParams(ils=IteratedLocalSearchParams(history_length=self.history_length)),
            initial_solution=initial,
        )
        return result.best


def uses_genetic_search(data, time_limit_s: float) -> bool:
    """Tell whether the problem is large enough, and the budget long enough, for the hybrid
    genetic search."""
    clients = data.num_clients
    return clients >= GENETIC_FROM_CLIENTS and time_limit_s >= GENETIC_S_PER_CLIENT * clients


class _Watched:
    """A stopping criterion that also tells `watch` how long the search has run."""

    def __init__(self, stop, watch: Callable[[float], None]) -> None:
        self.stop, self.watch, self.began = stop, watch, time.monotonic()

    def __call__(self, best_cost: float) -> bool:
        self.watch(time.monotonic() - self.began)
        return self.stop(best_cost)


def _reason(problem: Problem, task: Task) -> str:
    return rules.diagnose(problem, task) or rules.NO_FEASIBLE_SLOT


def _untimed(problem: Problem, vehicle: Vehicle, task_ids: Sequence[int]) -> Route:
    """A route that only carries the visiting order; `repair` times it (and adds the breaks)."""
    steps = tuple(
        Step(StepKind.TASK, tid, problem.task_by_id[tid].location_index, 0, 0) for tid in task_ids
    )
    return Route(vehicle_id=vehicle.id, steps=steps, travel_time=0)


def _drop_empty(solution: Solution) -> Solution:
    routes = tuple(r for r in solution.routes if r.task_ids)
    return Solution(routes, solution.unassigned, solution.solver)


@dataclass
class _Model:
    data: object  # pyvrp.ProblemData
    clients: list[Task]  # by PyVRP client number (after the depots)
    types: list[list[Vehicle]]  # the concrete vehicles of each vehicle type

    @classmethod
    def build(cls, problem: Problem) -> _Model:
        size = len(problem.durations)
        open_end = any(v.start_index is None or v.end_index is None for v in problem.vehicles)
        nowhere = size if open_end else None  # zero seconds from and to every place
        places = size + (1 if open_end else 0)

        def place(index: int | None) -> int:
            return nowhere if index is None else index

        depot_places = sorted(
            {place(p) for v in problem.vehicles for p in (v.start_index, v.end_index)}
        )
        depot_of = {p: k for k, p in enumerate(depot_places)}

        clients: list[Task] = []
        groups: list[list[int]] = []
        for task in problem.tasks:
            windows = rules.effective_windows(task) or (None,)
            if len(windows) > 1:
                groups.append(list(range(len(clients), len(clients) + len(windows))))
            clients.extend([task] * len(windows))
        client_windows = [
            w for task in problem.tasks for w in (rules.effective_windows(task) or (None,))
        ]

        # Vehicles that serve the same tasks at the same speed share one profile. Only skills
        # and pins decide what a vehicle serves, so each distinct pair is worked out once.
        pinned = {t.pinned_vehicle_id for t in problem.tasks}
        served_by: dict[tuple, frozenset[int]] = {}
        profiles: dict[tuple, int] = {}
        vehicle_profile = {}
        for vehicle in problem.vehicles:
            who = (vehicle.skills, vehicle.id if vehicle.id in pinned else None)
            if who not in served_by:
                served_by[who] = frozenset(t.id for t in problem.tasks if rules.serves(vehicle, t))
            key = (served_by[who], vehicle.speed_factor)
            vehicle_profile[vehicle.id] = profiles.setdefault(key, len(profiles))
        matrices = []
        base = np.zeros((places, places), dtype=np.int64)
        for served, speed in profiles:
            matrix = base.copy()
            matrix[:size, :size] = problem.travel_matrix(speed)
            # A place shared with a task it serves, or a depot, must stay reachable.
            barred = {t.location_index for t in problem.tasks if t.id not in served}
            barred -= {t.location_index for t in problem.tasks if t.id in served}
            barred -= set(depot_places)
            if barred:
                rows = sorted(barred)
                matrix[rows, :] = FORBIDDEN
                matrix[:, rows] = FORBIDDEN
                matrix[rows, rows] = 0
            matrices.append(matrix)
        loaded = any(t.demand for t in problem.tasks) or any(
            v.capacity is not None for v in problem.vehicles
        )
        counted = any(v.max_tasks is not None for v in problem.vehicles)

        types: dict[tuple, list[Vehicle]] = {}
        for vehicle in problem.vehicles:
            key = (
                vehicle.start_index,
                vehicle.end_index,
                vehicle.shift,
                vehicle.capacity,
                vehicle.max_tasks,
                vehicle.max_travel_time,
                _duration_limit(vehicle),
                vehicle_profile[vehicle.id],
            )
            types.setdefault(key, []).append(vehicle)
        vehicle_types = []
        for group in types.values():
            first = group[0]
            capacity = []
            if loaded:
                capacity.append(_limit(first.capacity))
            if counted:
                capacity.append(_limit(first.max_tasks))
            options = {}
            if (limit := _duration_limit(first)) is not None:
                options["shift_duration"] = limit
            if first.max_travel_time is not None:
                options["max_distance"] = first.max_travel_time
            vehicle_types.append(
                pyvrp.VehicleType(
                    num_available=len(group),
                    capacity=capacity,
                    start_depot=depot_of[place(first.start_index)],
                    end_depot=depot_of[place(first.end_index)],
                    tw_early=first.shift.start,
                    tw_late=first.shift.end,
                    profile=vehicle_profile[first.id],
                    **options,
                )
            )
        client_group = {member: g for g, members in enumerate(groups) for member in members}
        pyvrp_clients = []
        for k, (task, window) in enumerate(zip(clients, client_windows, strict=True)):
            load = ([task.demand] if loaded else []) + ([1] if counted else [])
            pyvrp_clients.append(
                pyvrp.Client(
                    location=task.location_index,
                    delivery=load,
                    service_duration=task.service,
                    tw_early=window.start if window else 0,
                    tw_late=window.end if window else MAX_VALUE,
                    prize=0 if _required(task) else rules.unplanned_cost(task),
                    required=_required(task) and k not in client_group,
                    group=client_group.get(k),
                )
            )
        coordinates = list(problem.coordinates or [(0, 0)] * size)
        if open_end:
            coordinates.append((0, 0))
        data = pyvrp.ProblemData(
            locations=[pyvrp.Location(int(x), int(y)) for x, y in coordinates],
            clients=pyvrp_clients,
            depots=[pyvrp.Depot(location=p) for p in depot_places],
            vehicle_types=vehicle_types,
            # Travel time is the objective, as for VROOM, so both backends optimise the same.
            distance_matrices=matrices,
            duration_matrices=matrices,
            groups=[
                pyvrp.ClientGroup(members, required=_required(clients[members[0]]))
                for members in groups
            ],
        )
        return cls(data, clients, list(types.values()))

    def solution(self, plan: Solution):
        """Express an engine plan as a PyVRP solution (each visit in the window it starts in)."""
        type_of = {v.id: k for k, group in enumerate(self.types) for v in group}
        copies: dict[int, list[int]] = {}
        for k, task in enumerate(self.clients):
            copies.setdefault(task.id, []).append(k)
        routes = []
        for route in plan.routes:
            visits = [
                _copy_for(self.clients, copies[s.id], s.start)
                for s in route.steps
                if s.kind is StepKind.TASK and s.id in copies
            ]
            if visits and route.vehicle_id in type_of:
                routes.append(pyvrp.Route(self.data, visits, type_of[route.vehicle_id]))
        return pyvrp.Solution(self.data, routes)

    def routes(self, best) -> list[tuple[Vehicle, list[int]]]:
        """Return each route's concrete vehicle and task ids."""
        free = [list(group) for group in self.types]
        return [
            (
                free[route.vehicle_type()].pop(0),
                [self.clients[a.idx].id for a in route.schedule() if a.is_client()],
            )
            for route in best.routes()
        ]


def _required(task: Task) -> bool:
    return rules.unplanned_cost(task) >= rules.MUST_PLAN_COST


def _copy_for(clients: list[Task], copies: list[int], start: int) -> int:
    """Return the client copy (one per window, in order) whose window holds the start."""
    windows = rules.effective_windows(clients[copies[0]])
    for k, window in zip(copies, windows, strict=False):
        if window.start <= start <= window.end:
            return k
    return copies[0]


def _duration_limit(vehicle: Vehicle) -> int | None:
    """PyVRP's route duration limit: working time, and the shift less the breaks taken in it."""
    breaks = sum(b.service for b in vehicle.breaks)
    limits = [vehicle.shift.end - vehicle.shift.start - breaks]
    if vehicle.max_duration is not None:
        limits.append(vehicle.max_duration)
    limit = min(limits)
    return None if not breaks and vehicle.max_duration is None else max(limit, 0)


def _limit(value: int | None) -> int:
    return np.iinfo(np.int64).max // 4 if value is None else value
