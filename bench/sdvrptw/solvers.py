"""Solvers compared on the site-dependent VRPTW: the planner, VROOM, PyVRP and OR-Tools.

Each takes an instance, its file and a budget in seconds and returns one route of customer
numbers per vehicle (empty when unused), in thousandths like the evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.sdvrptw.instances import Instance
from dispatch.routing import pyvrp_engine, rules
from dispatch.routing.engine import Problem, Solution, Solver, Task, TimeWindow, Vehicle
from dispatch.routing.planner import Planner
from dispatch.routing.pyvrp_engine import FORBIDDEN
from dispatch.routing.vroom_engine import VroomSolver

Routes = list[list[int]]
SolveFn = Callable[[Instance, Path, float], Routes]

# Every customer must be served.
MUST_SERVE = rules.MUST_PLAN_COST


def problem_from_instance(instance: Instance) -> Problem:
    """Express an instance in the engine model: customer c is task c and needs skill c.

    Vehicle k owns the skills of the customers it may serve (a technician's skills), its own
    capacity, and the maximum route duration as its maximum working time.
    """
    shift = TimeWindow(instance.ready[0], instance.due[0])
    vehicles = tuple(
        Vehicle(
            id=k + 1,
            shift=shift,
            start_index=0,
            end_index=0,
            skills=frozenset(instance.allowed[k]),
            capacity=instance.capacities[k],
            max_duration=instance.max_duration,
        )
        for k in range(instance.fleet)
    )
    tasks = tuple(
        Task(
            id=c,
            location_index=c,
            service=instance.service[c],
            skills=frozenset({c}),
            windows=(TimeWindow(instance.ready[c], instance.due[c]),),
            demand=instance.demand[c],
            unplanned_cost=MUST_SERVE,
        )
        for c in range(1, instance.customers + 1)
    )
    distances = instance.distances()
    return Problem(
        vehicles=vehicles,
        tasks=tasks,
        durations=distances,
        distances=distances,
        coordinates=[(round(x * 1000), round(y * 1000)) for x, y in instance.coords],
    )


def _engine(make: Callable[[], Solver]) -> SolveFn:
    def solve(instance: Instance, path: Path, budget: float) -> Routes:
        solution: Solution = make().solve(problem_from_instance(instance), budget)
        routes: Routes = [[] for _ in range(instance.fleet)]
        for route in solution.routes:
            routes[route.vehicle_id - 1] = route.task_ids
        return routes

    return solve


def _pyvrp(instance: Instance, path: Path, budget: float) -> Routes:
    """Run PyVRP as its authors read the set: `pyvrp.read`, exact rounding, default params."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(path, round_func="exact")
    # pyvrp.read bars customers a vehicle type may not serve with MAX_VALUE (2^44) in both
    # matrices; with it in the durations, PyVRP 0.14.1 never returned from a 1 s solve of PR02
    # (stopped after 100 s). The same barrier at 10^12, as our engine uses, solves in 1 s.
    data = data.replace(
        distance_matrices=[_capped(m) for m in data.distance_matrices()],
        duration_matrices=[_capped(m) for m in data.duration_matrices()],
    )
    result = pyvrp.solve(data, MaxRuntime(budget), seed=1, collect_stats=False, display=False)
    routes: Routes = [[] for _ in range(instance.fleet)]
    free = [
        [int(v) for v in data.vehicle_type(k).name.split(",")]
        for k in range(data.num_vehicle_types)
    ]
    depots = data.num_depots
    for route in result.best.routes():
        vehicle = free[route.vehicle_type()].pop(0)
        # Client activity idx k (0-based over clients) is customer k + depots.
        routes[vehicle] = [a.idx + depots for a in route.schedule() if a.is_client()]
    return routes


def _capped(matrix):
    import numpy as np

    return np.minimum(matrix, FORBIDDEN)


def _ortools(instance: Instance, path: Path, budget: float) -> Routes:
    """OR-Tools routing: allowed vehicles per customer, capacities, windows, span limits;
    parallel cheapest insertion, then guided local search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    distances = instance.distances()
    size, fleet = len(distances), instance.fleet
    manager = pywrapcp.RoutingIndexManager(size, fleet, 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(distances))
    times = [[d + instance.service[i] for d in row] for i, row in enumerate(distances)]
    horizon = instance.due[0]
    model.AddDimension(model.RegisterTransitMatrix(times), horizon, horizon, False, "time")
    clock = model.GetDimensionOrDie("time")
    for node in range(1, size):
        index = manager.NodeToIndex(node)
        clock.CumulVar(index).SetRange(instance.ready[node], instance.due[node])
        allowed = [k for k in range(fleet) if node in instance.allowed[k]]
        model.VehicleVar(index).SetValues(allowed)  # the typed setter rejects lists here
    for vehicle in range(fleet):
        clock.SetSpanUpperBoundForVehicle(instance.max_duration, vehicle)
        for index in (model.Start(vehicle), model.End(vehicle)):
            clock.CumulVar(index).SetRange(instance.ready[0], horizon)
    demand = model.RegisterUnaryTransitVector(list(instance.demand))
    model.AddDimensionWithVehicleCapacity(demand, 0, list(instance.capacities), True, "load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(budget * 1000))
    found = model.SolveWithParameters(params)
    if found is None:
        return []
    routes = []
    for vehicle in range(fleet):
        index, route = found.Value(model.NextVar(model.Start(vehicle))), []
        while not model.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(model.NextVar(index))
        routes.append(route)
    return routes


def available_solvers() -> dict[str, SolveFn]:
    """Return the solvers that can run here, by name; each on one thread."""
    solvers: dict[str, SolveFn] = {
        "planner": _engine(Planner),
        "vroom": _engine(lambda: VroomSolver(threads=1)),
    }
    if pyvrp_engine.available():
        solvers["pyvrp"] = _pyvrp
    try:
        import ortools  # noqa: F401

        solvers["ortools"] = _ortools
    except ImportError:
        pass
    return solvers
