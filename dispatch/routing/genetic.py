"""A hybrid genetic search on PyVRP's problem model, for large and fleet-tight problems.

PyVRP's own search (`pyvrp.solve`) follows one solution with late acceptance; on the
site-dependent VRPTW, where the best-known plans use every vehicle, it stagnates (issue 16: 60 s
no better than 10 s on PR05). This search keeps a population instead:

- every individual is a solution improved by PyVRP's local search (all its operators, so client
  groups, optional clients, several depots, durations and capacities stay PyVRP's rules);
- feasible and infeasible individuals live in two subpopulations, each ranked by a biased
  fitness: its penalised cost rank plus its diversity rank (mean broken-pairs distance to its
  closest neighbours), so that near-copies of good plans do not crowd out the rest;
- parents are picked by binary tournament on that fitness, and a child takes a block of
  neighbouring routes (by angle round their depot) from one parent and the rest from the other
  (`exchange_routes`); the local search then places what is missing and improves it;
- penalties follow the share of feasible children (`PenaltyManager`); an infeasible child is
  also searched again with ten times the penalties, which usually makes it feasible;
- when the best plan has not improved for `stagnation` children, the population restarts
  around it; each (re)start locally searches random plans and sweeps (`sweep`);
- from LARGE_FROM_CLIENTS visits the population is smaller and every child is also polished by
  PyVRP's quick perturb-and-search steps (`GeneticParams.for_clients`).

`pyvrp_engine` chooses this search for problems of 50 visits or more with a budget of 0.02 s a
visit or more; below that PyVRP's own search plans better or as well (measurements there).

Everything random draws from one `RandomNumberGenerator`, so the same seed and the same number of
children give the same plan; a time limit only cuts the search short.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

try:
    import pyvrp
    from pyvrp import CostEvaluator, PenaltyManager, RandomNumberGenerator
    from pyvrp.PenaltyManager import PenaltyParams
    from pyvrp.search import (
        OPERATORS,
        LocalSearch,
        NeighbourhoodParams,
        PerturbationManager,
        compute_neighbours,
    )
except ImportError:  # pragma: no cover - depends on the installed extras
    pyvrp = None


# Legs at least this long are barred (the engine's FORBIDDEN travel time) and left out of scales.
FORBIDDEN_LEG = 10**11
# From this many clients the search runs with a small population and polished children
# (`GeneticParams.for_clients`); SDVRPTW PR01-PR20 (48-288 visits) keep the defaults.
LARGE_FROM_CLIENTS = 300


@dataclass(frozen=True)
class GeneticParams:
    """How large the population is, how it is renewed and how penalties move."""

    min_population: int = 25
    generation_size: int = 40
    elite: int = 4  # how many of the best by cost the diversity term cannot push out
    close: int = 5  # neighbours whose mean distance is an individual's diversity
    initial_size: int = 25  # solutions, locally searched, in each (re)start
    swept_share: float = 0.5  # of them made by `sweep`, the rest at random
    repair_probability: float = 0.5
    repair_penalty_factor: float = 10.0
    stagnation: int = 5_000  # children without a better plan before a restart
    neighbours: int = 50  # granular neighbourhood of the local search
    polish_steps: int = 0  # quick perturb-and-search steps after each full search
    penalty: PenaltyParams = field(
        default_factory=lambda: PenaltyParams(
            solutions_between_updates=50,
            penalty_increase=1.25,
            penalty_decrease=0.85,
            target_feasible=0.43,
        )
    )

    @classmethod
    def for_clients(cls, clients: int) -> GeneticParams:
        """The parameters for a problem of this many clients: from LARGE_FROM_CLIENTS a small
        population whose children are also polished.

        Each child of a 1000-visit problem costs about 0.12 s of local search, so a 60 s run
        makes some 500 of them: too few for 25-65 individuals to converge. Measured on SDVRPTW
        at 60 s (2026-12-05, one process, load 2-7): PR22 (720 visits) 8.14 % above the best
        known with the defaults, 7.59 % with 30 polish steps, 6.43 % with a population of
        10 + 20 (10 initial), 5.13 % with both (5.34 % with 100 steps); PR21 (1008) 11.26 %
        with the defaults, 7.97 % with both.
        """
        if clients < LARGE_FROM_CLIENTS:
            return cls()
        return cls(min_population=10, generation_size=20, initial_size=10, polish_steps=30)


class Individual:
    """A locally optimised solution with its visiting order as arrays, for distances."""

    __slots__ = ("solution", "successor", "predecessor", "neighbours")

    def __init__(self, solution, num_clients: int) -> None:
        self.solution = solution
        self.successor, self.predecessor = visiting_order(solution, num_clients)
        self.neighbours: list[tuple[float, Individual]] = []  # (distance, other), ascending

    def distance(self, other: Individual) -> float:
        """Broken-pairs distance: the share of client links of this order missing in the other."""
        return broken_pairs(self.successor, self.predecessor, other.successor, other.predecessor)

    def is_clone(self) -> bool:
        return bool(self.neighbours) and self.neighbours[0][0] == 0

    def diversity(self, close: int) -> float:
        nearest = [d for d, _ in self.neighbours[:close]]
        return sum(nearest) / len(nearest) if nearest else 0.0


def visiting_order(solution, num_clients: int) -> tuple[np.ndarray, np.ndarray]:
    """Each client's successor and predecessor (`num_clients` for a depot, -1 when unvisited)."""
    successor = np.full(num_clients, -1, dtype=np.int64)
    predecessor = np.full(num_clients, -1, dtype=np.int64)
    for route in solution.routes():
        visits = [a.idx for a in route.schedule() if a.is_client()]
        if not visits:
            continue
        order = np.asarray(visits, dtype=np.int64)
        successor[order] = np.append(order[1:], num_clients)
        predecessor[order] = np.insert(order[:-1], 0, num_clients)
    return successor, predecessor


def broken_pairs(succ_a, pred_a, succ_b, pred_b) -> float:
    """Share of the links (client to successor, client to predecessor) of order a that order b
    lacks in either direction; 0 for the same routes, whichever way each is driven."""
    if len(succ_a) == 0:
        return 0.0
    lost_succ = (succ_a != succ_b) & (succ_a != pred_b)
    lost_pred = (pred_a != pred_b) & (pred_a != succ_b)
    return float(np.count_nonzero(lost_succ) + np.count_nonzero(lost_pred)) / (2 * len(succ_a))


class Subpopulation:
    """Individuals of one kind (feasible or not), ranked by biased fitness."""

    def __init__(self, params: GeneticParams) -> None:
        self.params = params
        self.members: list[Individual] = []

    def __len__(self) -> int:
        return len(self.members)

    def add(self, individual: Individual, cost: Callable) -> None:
        """Add an individual; past the generation size, survivors are selected."""
        for other in self.members:
            d = individual.distance(other)
            _insert_sorted(individual.neighbours, (d, other))
            _insert_sorted(other.neighbours, (d, individual))
        self.members.append(individual)
        if len(self.members) > self.params.min_population + self.params.generation_size:
            self.select_survivors(cost)

    def remove(self, individual: Individual) -> None:
        self.members.remove(individual)
        for other in self.members:
            other.neighbours = [(d, o) for d, o in other.neighbours if o is not individual]

    def select_survivors(self, cost: Callable) -> None:
        """Remove clones first, then the worst biased fitness, down to the minimum size."""
        while len(self.members) > self.params.min_population:
            clone = next((m for m in self.members if m.is_clone()), None)
            if clone is not None:
                self.remove(clone)
                continue
            fitness = self.fitness(cost)
            self.remove(self.members[int(np.argmax(fitness))])

    def fitness(self, cost: Callable) -> np.ndarray:
        """Biased fitness of each member (lower is better): cost rank plus diversity rank."""
        size = len(self.members)
        if size == 1:
            return np.zeros(1)
        costs = np.array([cost(m.solution) for m in self.members], dtype=float)
        diversity = np.array([-m.diversity(self.params.close) for m in self.members])
        cost_rank = np.empty(size)
        cost_rank[np.argsort(costs, kind="stable")] = np.arange(size) / (size - 1)
        diversity_rank = np.empty(size)
        diversity_rank[np.argsort(diversity, kind="stable")] = np.arange(size) / (size - 1)
        weight = 1.0 - min(self.params.elite, size) / size
        return cost_rank + weight * diversity_rank


def _insert_sorted(pairs: list, pair: tuple) -> None:
    distance = pair[0]
    k = len(pairs)
    while k > 0 and pairs[k - 1][0] > distance:
        k -= 1
    pairs.insert(k, pair)


class RouteGeometry:
    """Where each route lies round its depot, to pick blocks of neighbouring routes."""

    def __init__(self, data) -> None:
        locations = [data.location(c.location) for c in data.clients()]
        self.x = np.array([loc.x for loc in locations], dtype=float)
        self.y = np.array([loc.y for loc in locations], dtype=float)
        depot_places = [data.location(d.location) for d in data.depots()]
        self.depot_x = [p.x for p in depot_places]
        self.depot_y = [p.y for p in depot_places]

    def angle(self, route, visits: list[int]) -> float:
        depot = route.start_depot()
        idx = np.asarray(visits)
        return math.atan2(
            float(self.y[idx].mean()) - self.depot_y[depot],
            float(self.x[idx].mean()) - self.depot_x[depot],
        )


def exchange_routes(data, first, second, rng, geometry: RouteGeometry, keys: list[int]):
    """A child of two solutions: a block of neighbouring routes of `first`, the rest of `second`.

    The block is k consecutive routes of `first` by angle round their depot (k drawn from 1 to
    half its routes). The same number of consecutive routes of `second` that share the most
    visits with the block are dropped; the other routes of `second` keep their order less what
    the block serves. `keys` maps each client to its visit (the group of a visit's window
    copies), so a visit is served once whichever window copy each parent chose. Visits of the
    dropped routes that the block does not serve are left out: the local search places them.
    No vehicle type gets more routes than it has vehicles.
    """
    routes_a = _ordered_routes(first, geometry)
    routes_b = _ordered_routes(second, geometry)
    if not routes_a or not routes_b:
        return first
    size = 1 + rng.randint(max(len(routes_a) // 2, 1))
    start = rng.randint(len(routes_a))
    block = [routes_a[(start + k) % len(routes_a)] for k in range(size)]
    taken = {keys[c] for _, visits in block for c in visits}
    size_b = min(size, len(routes_b))
    shared = [len(taken.intersection(keys[c] for c in visits)) for _, visits in routes_b]
    best_start = max(
        range(len(routes_b)),
        key=lambda s: sum(shared[(s + k) % len(routes_b)] for k in range(size_b)),
    )
    dropped = {(best_start + k) % len(routes_b) for k in range(size_b)}
    free = [vt.num_available for vt in data.vehicle_types()]
    child = []
    for k, (vehicle_type, visits) in enumerate(routes_b):
        if k in dropped:
            continue
        kept = [c for c in visits if keys[c] not in taken]
        if kept:
            child.append((vehicle_type, kept))
            free[vehicle_type] -= 1
    for vehicle_type, visits in block:
        if free[vehicle_type] > 0:
            child.append((vehicle_type, visits))
            free[vehicle_type] -= 1
    return pyvrp.Solution(data, [pyvrp.Route(data, visits, t) for t, visits in child])


def _ordered_routes(solution, geometry: RouteGeometry) -> list[tuple[int, list[int]]]:
    found = []
    for route in solution.routes():
        visits = [a.idx for a in route.schedule() if a.is_client()]
        if visits:
            found.append((geometry.angle(route, visits), route.vehicle_type(), visits))
    found.sort(key=lambda r: (r[0], r[1]))
    return [(t, visits) for _, t, visits in found]


def sweep(data, rng, geometry: RouteGeometry, keys: list[int], served: list[np.ndarray]):
    """A plan that uses every vehicle: visits by angle round the depots' centre, from a random
    angle, cut into as many runs of about equal length as there are vehicles, each run in order
    of its window opening, on the vehicle type that may serve most of it (`served`, from
    `servable`).

    The local search then repairs what this breaks (capacity, windows, skills), and empties
    some routes again (SDVRPTW PR21: 108 routes down to 95-98, whatever the penalties). Half of
    each initial population comes from here for variety; a population started from sweeps only
    did no better (PR21 at 60 s 11.07 % above the best known, against 10.52 % from random plans).
    """
    chosen: dict[int, int] = {}
    for client in range(data.num_clients):  # one window copy of each visit, drawn at random
        key = keys[client]
        if key not in chosen or rng.randint(2):
            chosen[key] = client
    clients = np.array(sorted(chosen.values()), dtype=np.int64)
    angles = np.arctan2(
        geometry.y[clients] - float(np.mean(geometry.depot_y)),
        geometry.x[clients] - float(np.mean(geometry.depot_x)),
    )
    turn = 2 * math.pi * rng.rand()
    order = clients[np.argsort((angles + turn) % (2 * math.pi), kind="stable")]
    vehicles = data.num_vehicles
    free = [vt.num_available for vt in data.vehicle_types()]
    early = np.array([c.tw_early for c in data.clients()], dtype=np.int64)
    routes = []
    for run in np.array_split(order, min(vehicles, len(order))):
        if not len(run):
            continue
        usable = [t for t, n in enumerate(free) if n > 0]
        vehicle_type = max(usable, key=lambda t: int(np.count_nonzero(served[t][run])))
        free[vehicle_type] -= 1
        visits = run[np.argsort(early[run], kind="stable")]
        routes.append(pyvrp.Route(data, [int(c) for c in visits], vehicle_type))
    return pyvrp.Solution(data, routes)


def servable(data) -> list[np.ndarray]:
    """For each vehicle type, which clients its profile can reach from its start depot."""
    places = np.array([c.location for c in data.clients()], dtype=np.int64)
    found = []
    for vehicle_type in data.vehicle_types():
        matrix = data.duration_matrix(vehicle_type.profile)
        start = data.depot(vehicle_type.start_depot).location
        found.append(matrix[start, places] < FORBIDDEN_LEG)
    return found


def visit_keys(data) -> list[int]:
    """Each client's visit: its group's number past the clients when it is a window copy."""
    keys = list(range(data.num_clients))
    for g, group in enumerate(data.groups()):
        for client in group.clients:
            keys[client] = data.num_clients + g
    return keys


class GeneticSearch:
    """Run the hybrid genetic search on a `pyvrp.ProblemData`."""

    def __init__(self, data, seed: int = 1, params: GeneticParams | None = None) -> None:
        self.data = data
        self.params = params or GeneticParams.for_clients(data.num_clients)
        self.rng = RandomNumberGenerator(seed=seed)
        neighbours = compute_neighbours(
            data, NeighbourhoodParams(num_neighbours=self.params.neighbours)
        )
        self.search = LocalSearch(data, self.rng, neighbours, PerturbationManager())
        for operator in OPERATORS:
            if operator.supports(data):
                self.search.add_operator(operator(data))
        penalty = self.params.penalty
        self.penalties = PenaltyManager(initial_penalties(data), penalty)
        self.geometry = RouteGeometry(data)
        self.keys = visit_keys(data)
        self.served = servable(data)
        self.feasible = Subpopulation(self.params)
        self.infeasible = Subpopulation(self.params)

    def run(
        self,
        time_limit_s: float,
        children: int | None = None,
        initial=None,
        watch: Callable[[float], None] | None = None,
    ):
        """Return the best solution found within the time (and children, when set) limit.

        `initial`, a solution from elsewhere, joins the first population; `watch` is called
        after every child with the seconds the search has run.
        """
        began = time.monotonic()

        def out_of_time() -> bool:
            return time.monotonic() - began >= time_limit_s

        best = None
        if initial is not None:
            best = self._educate(initial)
        best = self._populate(best, out_of_time)
        made = since_best = 0
        while (
            not out_of_time()
            and (children is None or made < children)
            and len(self.feasible) + len(self.infeasible)
        ):
            if since_best >= self.params.stagnation:
                self.feasible, self.infeasible = (
                    Subpopulation(self.params),
                    Subpopulation(self.params),
                )
                best = self._populate(best, out_of_time)
                since_best = 0
            evaluator = self.penalties.cost_evaluator()
            first, second = self._parent(evaluator), self._parent(evaluator)
            child = exchange_routes(self.data, first, second, self.rng, self.geometry, self.keys)
            found = self._educate(child)
            made += 1
            since_best += 1
            if _better(found, best):
                best, since_best = found, 0
            if watch is not None:
                watch(time.monotonic() - began)
        return best if best is not None else self._least_infeasible()

    def _least_infeasible(self):
        """With no feasible plan, the infeasible one of least penalised cost (repair decides)."""
        if not len(self.infeasible):
            return None
        return min((m.solution for m in self.infeasible.members), key=self._cost)

    def _populate(self, best, out_of_time: Callable[[], bool]):
        if best is not None:
            self._educate(best)
        swept = round(self.params.swept_share * self.params.initial_size)
        for k in range(self.params.initial_size):
            if out_of_time():
                break
            if k < swept:
                start = sweep(self.data, self.rng, self.geometry, self.keys, self.served)
            else:
                start = pyvrp.Solution.make_random(self.data, self.rng)
            found = self._educate(start)
            if _better(found, best):
                best = found
        return best

    def _educate(self, solution):
        """Search the solution locally, file it, and return the feasible result if any."""
        evaluator = self.penalties.cost_evaluator()
        improved = self._polish(self.search(solution, evaluator, exhaustive=True), evaluator)
        self.penalties.register(improved)
        self._file(improved, evaluator)
        if improved.is_feasible():
            return improved
        if self.rng.rand() >= self.params.repair_probability:
            return None
        loads, duration, distance = self.penalties.penalties()
        factor = self.params.repair_penalty_factor
        strict = CostEvaluator([p * factor for p in loads], duration * factor, distance * factor)
        repaired = self.search(improved, strict, exhaustive=True)
        if repaired.is_feasible():
            self._file(repaired, evaluator)
            return repaired
        return None

    def _polish(self, solution, evaluator):
        """Perturb and search around the perturbed visits `polish_steps` times (PyVRP's quick
        search), keeping each result that lowers the penalised cost."""
        cost = evaluator.penalised_cost(solution)
        for _ in range(self.params.polish_steps):
            candidate = self.search(solution, evaluator, exhaustive=False)
            if (found := evaluator.penalised_cost(candidate)) < cost:
                solution, cost = candidate, found
        return solution

    def _file(self, solution, evaluator) -> None:
        individual = Individual(solution, self.data.num_clients)
        home = self.feasible if solution.is_feasible() else self.infeasible
        home.add(individual, self._cost)

    def _cost(self, solution) -> float:
        return self.penalties.cost_evaluator().penalised_cost(solution)

    def _parent(self, evaluator):
        """Binary tournament on biased fitness over both subpopulations."""
        members, fitness = [], []
        for sub in (self.feasible, self.infeasible):
            if len(sub):
                members.extend(sub.members)
                fitness.extend(sub.fitness(evaluator.penalised_cost))
        a = self.rng.randint(len(members))
        b = self.rng.randint(len(members))
        return (members[a] if fitness[a] <= fitness[b] else members[b]).solution


def initial_penalties(data) -> tuple[list[float], float, float]:
    """Penalties in proportion to the problem's own scale: a unit of excess load costs what an
    average leg costs per unit of average demand, a unit of time warp what a unit of travel time
    costs in distance. PyVRP's midpoint (half its maximum, 50 000 a unit) starts far above the
    cost of a leg; at 10 s on SDVRPTW PR04 / PR05 the search ended 4.08 / 7.34 % above the best
    known from it, 3.71 / 6.33 % from these.
    """
    distances = data.distance_matrix(0)
    durations = data.duration_matrix(0)
    reachable = distances[distances < FORBIDDEN_LEG]
    leg = float(np.mean(reachable)) if reachable.size else 1.0
    timed = durations[durations < FORBIDDEN_LEG]
    per_second = leg / max(float(np.mean(timed)), 1.0) if timed.size else 1.0
    loads = []
    for dimension in range(data.num_load_dimensions):
        demand = [max(c.delivery[dimension], c.pickup[dimension]) for c in data.clients()]
        loads.append(leg / max(float(np.mean(demand)) if demand else 1.0, 1.0))
    return loads, per_second, 1.0


def _better(candidate, best) -> bool:
    if candidate is None or not candidate.is_feasible():
        return False
    return best is None or _objective(candidate) < _objective(best)


def _objective(solution) -> int:
    return (
        solution.distance_cost()
        + solution.duration_cost()
        + solution.fixed_vehicle_cost()
        + solution.uncollected_prizes()
    )
