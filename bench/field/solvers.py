"""Solvers compared on generated field days: the planner, VROOM alone, OR-Tools and PyVRP.

Each takes a Problem and a budget and returns a plan for `bench.field.check`, or None where the
solver cannot express the day. PyVRP has no breaks, so it sits out the `lunch` and `all`
variants; on the others it gets the day as a PyVRP user would write it (`_pyvrp`), written here
apart from the planner's own model so that the two are compared, not the same code twice.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.field.check import Plan, plan_of
from dispatch.routing import rules
from dispatch.routing.engine import Problem
from dispatch.routing.planner import Planner
from dispatch.routing.vroom_engine import VroomSolver

SolveFn = Callable[[Problem, float], Plan | None]
# A skill a technician lacks, as PyVRP users bar an edge: far away, but not PyVRP's MAX_VALUE,
# which in a duration matrix stalls its search (bench/sdvrptw/solvers.py).
FAR = 10**12


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


def _pyvrp(problem: Problem, budget: float) -> Plan | None:
    """PyVRP 0.14 with default parameters and seed 1: a depot per home, a routing profile per
    set of skills (unservable visits far away), several windows as a mutually exclusive client
    group, every visit optional with its unplanned cost as prize, the working limit as shift
    duration. None on a day with breaks, which PyVRP cannot model."""
    import numpy as np
    import pyvrp
    from pyvrp.stop import MaxRuntime

    vehicles, tasks = problem.vehicles, problem.tasks
    if any(v.breaks for v in vehicles):
        return None
    homes = sorted({p for v in vehicles for p in (v.start_index, v.end_index)})
    skill_sets = sorted({v.skills for v in vehicles}, key=sorted)
    travel = np.asarray(problem.durations, dtype=np.int64)
    # Locations: the homes first (PyVRP's depots), then one location per client (per window).
    clients, groups, owners = [], [], []
    for task in tasks:
        first = len(clients)
        for window in task.windows:
            clients.append(
                pyvrp.Client(
                    location=len(homes) + len(clients),
                    delivery=[task.demand],
                    service_duration=task.service,
                    tw_early=window.start,
                    tw_late=window.end,
                    prize=int(task.unplanned_cost),
                    required=False,
                    group=len(groups) if len(task.windows) > 1 else None,
                )
            )
            owners.append(task)
        if len(task.windows) > 1:
            groups.append(pyvrp.ClientGroup(list(range(first, len(clients))), required=False))
    places = homes + [t.location_index for t in owners]
    base = travel[np.ix_(places, places)]
    matrices = []
    for skills in skill_sets:
        matrix = base.copy()
        barred = [len(homes) + k for k, t in enumerate(owners) if not t.skills <= skills]
        matrix[barred, :] = FAR
        matrix[:, barred] = FAR
        matrix[barred, barred] = 0
        matrices.append(matrix)
    types = [
        pyvrp.VehicleType(
            capacity=[v.capacity if v.capacity is not None else 10**9],
            start_depot=homes.index(v.start_index),
            end_depot=homes.index(v.end_index),
            tw_early=v.shift.start,
            tw_late=v.shift.end,
            profile=skill_sets.index(v.skills),
            name=str(v.id),
            **({"shift_duration": v.max_duration} if v.max_duration is not None else {}),
        )
        for v in vehicles
    ]
    coords = problem.coordinates or [(0, 0)] * len(problem.durations)
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(int(coords[p][0]), int(coords[p][1])) for p in places],
        clients=clients,
        depots=[pyvrp.Depot(location=k) for k in range(len(homes))],
        vehicle_types=types,
        distance_matrices=matrices,
        duration_matrices=matrices,
        groups=groups,
    )
    result = pyvrp.solve(data, MaxRuntime(budget), seed=1, collect_stats=False, display=False)
    return {
        int(types[route.vehicle_type()].name): [
            ("task", owners[a.idx].id) for a in route.schedule() if a.is_client()
        ]
        for route in result.best.routes()
    }


def available_solvers() -> dict[str, SolveFn]:
    """Return the solvers that can run here, by name; each on one thread."""
    solvers: dict[str, SolveFn] = {"planner": _planner, "vroom": _vroom, "pyvrp": _pyvrp}
    try:
        import ortools  # noqa: F401

        solvers["ortools"] = _ortools
    except ImportError:
        pass
    return solvers
