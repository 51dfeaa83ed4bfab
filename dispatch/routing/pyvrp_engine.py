"""Optional quality backend: PyVRP for pure VRPTW batches (windows, loads, depots, fleet).

PyVRP cannot express skills, breaks, pins, several windows per visit, priorities, task limits or
travel-time limits; `expresses(problem)` tells whether a problem stays inside what it can do.
"""

from __future__ import annotations

import numpy as np

from dispatch.routing import rules
from dispatch.routing.engine import Problem, Route, Solution, Unassigned, Vehicle, timed_route

try:
    import pyvrp
    from pyvrp.stop import MaxRuntime
except ImportError:  # pragma: no cover - depends on the installed extras
    pyvrp = None


class PyvrpUnavailable(RuntimeError):
    """PyVRP is not installed, so this backend cannot run."""


def available() -> bool:
    """Tell whether the pyvrp package can be imported."""
    return pyvrp is not None


def expresses(problem: Problem) -> bool:
    """Tell whether PyVRP can express every constraint of the problem."""
    vehicles_plain = all(
        v.start_index is not None
        and v.end_index is not None
        and not v.breaks
        and v.max_tasks is None
        and v.max_travel_time is None
        for v in problem.vehicles
    )
    tasks_plain = all(
        not t.skills
        and len(t.windows) <= 1
        and t.pinned_vehicle_id is None
        and t.pinned_time is None
        for t in problem.tasks
    )
    same_priority = len({t.priority for t in problem.tasks}) <= 1
    return bool(problem.vehicles) and vehicles_plain and tasks_plain and same_priority


class PyvrpSolver:
    """Plan a pure VRPTW problem with PyVRP's iterated local search, minimising travel time."""

    name = "pyvrp"

    def __init__(self, seed: int = 1) -> None:
        if pyvrp is None:
            raise PyvrpUnavailable(
                "the PyVRP backend needs the 'pyvrp' package: pip install pyvrp==0.14.1"
            )
        self.seed = seed

    def solve(self, problem: Problem, time_limit_s: float) -> Solution:
        """Plan all tasks on the vehicles within the time limit."""
        if not expresses(problem):
            raise ValueError("problem uses constraints PyVRP cannot express; use VroomSolver")
        data, types = _data(problem)
        result = pyvrp.solve(
            data, MaxRuntime(time_limit_s), seed=self.seed, collect_stats=False, display=False
        )
        if not result.is_feasible():
            # PyVRP must visit every client, so an infeasible best means some tasks do not fit;
            # the planner falls back to VROOM, which can leave them out and say why.
            reasons = [
                Unassigned(t.id, rules.diagnose(problem, t) or rules.NO_FEASIBLE_SLOT)
                for t in problem.tasks
            ]
            return Solution(routes=(), unassigned=tuple(reasons), solver=self.name)
        free = {key: list(vehicles) for key, vehicles in types.items()}
        routes = [_route(problem, route, free) for route in result.best.routes()]
        return Solution(routes=tuple(routes), unassigned=(), solver=self.name)


def _type_key(vehicle: Vehicle) -> tuple:
    return (vehicle.start_index, vehicle.end_index, vehicle.shift, vehicle.capacity)


def _data(problem: Problem) -> tuple[pyvrp.ProblemData, dict[tuple, list[Vehicle]]]:
    """Build PyVRP data on the problem's own matrices; identical vehicles share a type."""
    size = len(problem.durations)
    durations = np.asarray(problem.durations, dtype=np.int64)
    depot_places = sorted({p for v in problem.vehicles for p in (v.start_index, v.end_index)})
    depot_of = {place: k for k, place in enumerate(depot_places)}
    loaded = any(t.demand for t in problem.tasks) or any(
        v.capacity is not None for v in problem.vehicles
    )
    types: dict[tuple, list[Vehicle]] = {}
    for vehicle in problem.vehicles:
        types.setdefault(_type_key(vehicle), []).append(vehicle)
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=len(group),
            capacity=[_capacity(group[0])] if loaded else [],
            start_depot=depot_of[group[0].start_index],
            end_depot=depot_of[group[0].end_index],
            tw_early=group[0].shift.start,
            tw_late=group[0].shift.end,
        )
        for group in types.values()
    ]
    clients = [
        pyvrp.Client(
            location=t.location_index,
            delivery=[t.demand] if loaded else [],
            service_duration=t.service,
            tw_early=t.windows[0].start if t.windows else 0,
            tw_late=t.windows[0].end if t.windows else np.iinfo(np.int64).max,
        )
        for t in problem.tasks
    ]
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x, y) for x, y in problem.coordinates or [(0, 0)] * size],
        clients=clients,
        depots=[pyvrp.Depot(location=place) for place in depot_places],
        vehicle_types=vehicle_types,
        # Travel time is the objective, as for VROOM, so both backends optimise the same thing.
        distance_matrices=[durations],
        duration_matrices=[durations],
    )
    return data, types


def _capacity(vehicle: Vehicle) -> int:
    return np.iinfo(np.int64).max // 2 if vehicle.capacity is None else vehicle.capacity


def _route(problem: Problem, route: pyvrp.Route, free: dict[tuple, list[Vehicle]]) -> Route:
    """Give the route to a concrete vehicle of its type and time it with the engine's rules."""
    key = list(free)[route.vehicle_type()]
    vehicle = free[key].pop(0)
    tasks = [problem.tasks[visit.idx] for visit in route.schedule() if visit.is_client()]
    timed = timed_route(problem, vehicle, tasks)
    if timed is None:  # pragma: no cover - PyVRP said feasible; a mismatch is a bug to see
        raise AssertionError(f"PyVRP route for vehicle {vehicle.id} fails the engine's rules")
    return timed
