"""Solvers compared on DIMACS VRPTW: our planner, VROOM alone, PyVRP and OR-Tools as published.

Each takes an instance, its file and a budget in seconds and returns routes of customer numbers.
Everything works in tenths, so costs and times are exact DIMACS integers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.vrptw.instances import SCALE, Instance
from dispatch.routing import pyvrp_engine
from dispatch.routing.engine import Problem, Solution, Solver, Task, TimeWindow, Vehicle
from dispatch.routing.planner import Planner
from dispatch.routing.vroom_engine import VroomSolver

Routes = list[list[int]]
SolveFn = Callable[[Instance, Path, float], Routes]


def problem_from_instance(instance: Instance) -> Problem:
    """Express a VRPTW instance in the engine model: task id and location are customer numbers."""
    shift = TimeWindow(instance.ready[0] * SCALE, instance.due[0] * SCALE)
    vehicles = tuple(
        Vehicle(id=k, shift=shift, start_index=0, end_index=0, capacity=instance.capacity * SCALE)
        for k in range(1, instance.fleet + 1)
    )
    tasks = tuple(
        Task(
            id=c,
            location_index=c,
            service=instance.service[c] * SCALE,
            windows=(TimeWindow(instance.ready[c] * SCALE, instance.due[c] * SCALE),),
            demand=instance.demand[c] * SCALE,  # loads in tenths too, as pyvrp.read gives them
        )
        for c in range(1, instance.customers + 1)
    )
    distances = instance.distances()
    return Problem(
        vehicles=vehicles,
        tasks=tasks,
        durations=distances,
        distances=distances,
        coordinates=list(instance.coords),
    )


def _engine(make: Callable[[], Solver]) -> SolveFn:
    def solve(instance: Instance, path: Path, budget: float) -> Routes:
        solution: Solution = make().solve(problem_from_instance(instance), budget)
        return [route.task_ids for route in solution.routes if route.task_ids]

    return solve


def _pyvrp(instance: Instance, path: Path, budget: float) -> Routes:
    """Run PyVRP as its authors benchmark it: read the .vrp with DIMACS rounding, default params."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(path, round_func="dimacs")
    result = pyvrp.solve(data, MaxRuntime(budget), seed=1, collect_stats=False, display=False)
    # Client k (0-based) is customer k + 1: the depot is location 0.
    return [[v.idx + 1 for v in r.schedule() if v.is_client()] for r in result.best.routes()]


def _ortools(instance: Instance, path: Path, budget: float) -> Routes:
    """Run OR-Tools routing: parallel cheapest insertion, then guided local search.

    Path-cheapest-arc, the guide's first-solution default, found nothing for R101 within 1 s.
    """
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    distances = instance.distances()
    size = len(distances)
    manager = pywrapcp.RoutingIndexManager(size, instance.fleet, 0)
    model = pywrapcp.RoutingModel(manager)
    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitMatrix(distances))
    times = [[d + instance.service[i] * SCALE for d in row] for i, row in enumerate(distances)]
    horizon = instance.due[0] * SCALE
    model.AddDimension(model.RegisterTransitMatrix(times), horizon, horizon, False, "time")
    clock = model.GetDimensionOrDie("time")
    for node in range(1, size):
        window = (instance.ready[node] * SCALE, instance.due[node] * SCALE)
        clock.CumulVar(manager.NodeToIndex(node)).SetRange(*window)
    for vehicle in range(instance.fleet):
        for index in (model.Start(vehicle), model.End(vehicle)):
            clock.CumulVar(index).SetRange(instance.ready[0] * SCALE, horizon)
    demand = model.RegisterUnaryTransitVector(list(instance.demand))
    model.AddDimensionWithVehicleCapacity(
        demand, 0, [instance.capacity] * instance.fleet, True, "load"
    )
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
    for vehicle in range(instance.fleet):
        index, route = found.Value(model.NextVar(model.Start(vehicle))), []
        while not model.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(model.NextVar(index))
        routes.append(route)
    return [r for r in routes if r]


def available_solvers() -> dict[str, SolveFn]:
    """Return the solvers that can run here, by name."""
    solvers: dict[str, SolveFn] = {
        "planner": _engine(Planner),
        # One thread, like the other three, so the comparison is per core.
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
