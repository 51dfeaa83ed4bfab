"""Solvers compared on generated field days: the planner, VROOM alone and OR-Tools.

Each takes a Problem and a budget and returns a plan for `bench.field.check`. PyVRP is not a
separate entry: it cannot take lunch breaks itself, and the planner is PyVRP on our field model
(profiles, client groups, prizes) plus the repair step.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.field.check import Plan, plan_of
from dispatch.routing import rules
from dispatch.routing.engine import Problem
from dispatch.routing.planner import Planner
from dispatch.routing.vroom_engine import VroomSolver

SolveFn = Callable[[Problem, float], Plan]


def _planner(problem: Problem, budget: float) -> Plan:
    return plan_of(Planner(threads=1).solve(problem, budget))


def _vroom(problem: Problem, budget: float) -> Plan:
    return plan_of(VroomSolver(threads=1).solve(problem, budget))


def _ortools(problem: Problem, budget: float) -> Plan:
    """OR-Tools routing: allowed vehicles per visit, homes, windows with gaps, lunch as break
    intervals, optional visits with their unplanned cost as penalty, span limits; parallel
    cheapest insertion, then guided local search."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    vehicles, tasks = problem.vehicles, problem.tasks
    places = sorted({p for v in vehicles for p in (v.start_index, v.end_index)})
    nodes = places + [t.location_index for t in tasks]  # node -> location
    first_task = len(places)
    manager = pywrapcp.RoutingIndexManager(
        len(nodes),
        len(vehicles),
        [places.index(v.start_index) for v in vehicles],
        [places.index(v.end_index) for v in vehicles],
    )
    model = pywrapcp.RoutingModel(manager)
    service = [0] * first_task + [t.service for t in tasks]

    def travel(i: int, j: int) -> int:
        return int(problem.durations[nodes[manager.IndexToNode(i)]][nodes[manager.IndexToNode(j)]])

    def busy(i: int, j: int) -> int:
        return travel(i, j) + service[manager.IndexToNode(i)]

    model.SetArcCostEvaluatorOfAllVehicles(model.RegisterTransitCallback(travel))
    horizon = max(v.shift.end for v in vehicles)
    model.AddDimension(model.RegisterTransitCallback(busy), horizon, horizon, False, "time")
    clock = model.GetDimensionOrDie("time")
    for k, task in enumerate(tasks):
        index = manager.NodeToIndex(first_task + k)
        windows = sorted(task.windows, key=lambda w: w.start)
        if windows:
            clock.CumulVar(index).SetRange(windows[0].start, windows[-1].end)
            for a, b in zip(windows, windows[1:], strict=False):
                if b.start > a.end + 1:
                    clock.CumulVar(index).RemoveInterval(a.end + 1, b.start - 1)
        allowed = [n for n, v in enumerate(vehicles) if rules.serves(v, task)]
        model.VehicleVar(index).SetValues([-1, *allowed])
        model.AddDisjunction([index], int(task.unplanned_cost))
    solver = model.solver()
    transits = [service[manager.IndexToNode(i)] for i in range(model.Size())]
    for n, vehicle in enumerate(vehicles):
        for index in (model.Start(n), model.End(n)):
            clock.CumulVar(index).SetRange(vehicle.shift.start, vehicle.shift.end)
        rest = sum(b.service for b in vehicle.breaks)
        if vehicle.max_duration is not None:
            clock.SetSpanUpperBoundForVehicle(vehicle.max_duration + rest, n)
        if vehicle.breaks:
            intervals = [
                solver.FixedDurationIntervalVar(
                    min(w.start for w in b.windows),
                    max(w.end for w in b.windows),
                    b.service,
                    False,
                    f"break {n} {b.id}",
                )
                for b in vehicle.breaks
            ]
            clock.SetBreakIntervalsOfVehicle(intervals, n, transits)
    if any(t.demand for t in tasks):
        demand = model.RegisterUnaryTransitCallback(
            lambda i: ([0] * first_task + [t.demand for t in tasks])[manager.IndexToNode(i)]
        )
        capacities = [v.capacity if v.capacity is not None else 10**9 for v in vehicles]
        model.AddDimensionWithVehicleCapacity(demand, 0, capacities, True, "load")
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
        return {}
    plan: Plan = {}
    breaks_at = {}
    container = found.IntervalVarContainer()
    for k in range(container.Size()):
        element = container.Element(k)
        name = element.Var().Name().split()
        if element.PerformedValue():
            breaks_at.setdefault(int(name[1]), []).append((element.StartValue(), int(name[2])))
    for n, vehicle in enumerate(vehicles):
        visits = []
        index = found.Value(model.NextVar(model.Start(n)))
        while not model.IsEnd(index):
            visits.append(
                (
                    found.Value(clock.CumulVar(index)),
                    tasks[manager.IndexToNode(index) - first_task].id,
                )
            )
            index = found.Value(model.NextVar(index))
        if not visits:
            continue
        # A break goes on the leg to the first visit that starts after it began.
        items = [(start, 1, ("task", tid)) for start, tid in visits]
        items += [(start, 0, ("break", bid)) for start, bid in breaks_at.get(n, [])]
        plan[vehicle.id] = [item for _, _, item in sorted(items)]
    return plan


def available_solvers() -> dict[str, SolveFn]:
    """Return the solvers that can run here, by name; each on one thread."""
    solvers: dict[str, SolveFn] = {"planner": _planner, "vroom": _vroom}
    try:
        import ortools  # noqa: F401

        solvers["ortools"] = _ortools
    except ImportError:
        pass
    return solvers
