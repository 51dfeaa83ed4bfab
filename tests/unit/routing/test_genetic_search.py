"""The hybrid genetic search: its crossover, its population, its determinism and its plans.

RTE-16 (issue 16): large fleet-tight problems (site-dependent VRPTW) are searched with a
population of locally optimised plans; every plan still keeps the engine's rules.
"""

import time
from dataclasses import replace

import pytest
import pyvrp

from dispatch.routing import genetic, pyvrp_engine
from dispatch.routing.engine import Problem, TimeWindow
from dispatch.routing.pyvrp_engine import _Model
from tests.unit.routing.routing_builders import (
    HOUR,
    assert_routes_keep_rules,
    day_vehicle,
    euclid_durations,
    field_day,
    task,
)


def _scattered(visits: int = 60, vehicles: int = 6, seed: int = 4) -> Problem:
    """Visits round one depot, each with a two-hour window, four a vehicle at most."""
    import random

    rnd = random.Random(seed)
    points = [(50, 50)] + [(rnd.randint(0, 100), rnd.randint(0, 100)) for _ in range(visits)]
    fleet = tuple(day_vehicle(k, capacity=visits // vehicles + 2) for k in range(1, vehicles + 1))
    tasks = tuple(
        task(
            k,
            k,
            demand=1,
            windows=(TimeWindow((8 + k % 8) * HOUR, (10 + k % 8) * HOUR),),
            unplanned_cost=10**9,
        )
        for k in range(1, visits + 1)
    )
    return Problem(fleet, tasks, euclid_durations(points, 20), coordinates=points)


def _two_windowed(problem: Problem) -> Problem:
    """The same problem where every third visit may also be done in the late afternoon."""
    tasks = tuple(
        replace(t, windows=(*t.windows, TimeWindow(16 * HOUR, 18 * HOUR))) if t.id % 3 == 0 else t
        for t in problem.tasks
    )
    return replace(problem, tasks=tasks)


def _solutions(data, seeds):
    found = []
    for seed in seeds:
        search = genetic.GeneticSearch(data, seed=seed)
        found.append(search.search(pyvrp.Solution.make_random(data, search.rng), _loose(data)))
    return found


def _loose(data):
    return pyvrp.CostEvaluator(*genetic.initial_penalties(data))


def _visits(solution) -> list[int]:
    return [a.idx for r in solution.routes() for a in r.schedule() if a.is_client()]


@pytest.mark.parametrize("make", [_scattered, lambda: _two_windowed(_scattered())])
def test_rte_16_a_child_serves_each_visit_at_most_once_in_one_of_its_windows(make):
    data = _Model.build(make()).data
    keys = genetic.visit_keys(data)
    geometry = genetic.RouteGeometry(data)
    first, second = _solutions(data, (1, 2))
    rng = pyvrp.RandomNumberGenerator(seed=3)

    for _ in range(20):
        child = genetic.exchange_routes(data, first, second, rng, geometry, keys)
        served = [keys[c] for c in _visits(child)]
        assert len(served) == len(set(served)), "a visit (or two of its windows) twice"
        per_type = [0] * data.num_vehicle_types
        for route in child.routes():
            per_type[route.vehicle_type()] += 1
        available = [vt.num_available for vt in data.vehicle_types()]
        assert all(n <= most for n, most in zip(per_type, available, strict=True))


def test_rte_16_the_local_search_places_what_a_child_left_out():
    data = _Model.build(_two_windowed(_scattered())).data
    keys = genetic.visit_keys(data)
    first, second = _solutions(data, (1, 2))
    search = genetic.GeneticSearch(data, seed=5)
    child = genetic.exchange_routes(
        data, first, second, search.rng, genetic.RouteGeometry(data), keys
    )

    improved = search.search(child, _loose(data), exhaustive=True)

    served = sorted(keys[c] for c in _visits(improved))
    assert served == sorted(set(keys)), "every visit once, in one of its windows"


def test_rte_16_broken_pairs_distance_ignores_direction_and_counts_changed_links():
    import numpy as np

    # Clients 0-1-2 in one route, 3 alone; the depot is 4.
    succ, pred = np.array([1, 2, 4, 4]), np.array([4, 0, 1, 4])
    reversed_succ, reversed_pred = np.array([4, 0, 1, 4]), np.array([1, 2, 4, 4])
    other_succ, other_pred = np.array([3, 4, 4, 2]), np.array([4, 4, 3, 0])

    assert genetic.broken_pairs(succ, pred, reversed_succ, reversed_pred) == 0.0
    assert genetic.broken_pairs(succ, pred, succ, pred) == 0.0
    assert 0.0 < genetic.broken_pairs(succ, pred, other_succ, other_pred) <= 1.0


def test_rte_16_the_population_keeps_its_best_plan_and_drops_clones():
    data = _Model.build(_scattered()).data
    params = genetic.GeneticParams(min_population=4, generation_size=3)
    population = genetic.Subpopulation(params)
    solutions = _solutions(data, range(1, 10))
    cost = _loose(data).penalised_cost
    best = min(solutions, key=cost)

    for solution in [best, best, *solutions]:  # survivors are chosen at the eighth
        population.add(genetic.Individual(solution, data.num_clients), cost)

    assert len(population) <= params.min_population + params.generation_size
    kept = [m.solution for m in population.members]
    assert min(map(cost, kept)) == cost(best)
    assert sum(s == best for s in kept) == 1, "clones of the best are removed first"


def test_rte_16_the_genetic_search_gives_the_same_plan_for_the_same_seed():
    problem = field_day(seed=5)

    plans = [
        pyvrp_engine.PyvrpSolver(seed=seed, iterations=40, search="genetic").solve(problem, 30)
        for seed in (7, 7, 8)
    ]

    assert plans[0] == plans[1]
    assert_routes_keep_rules(problem, plans[2].routes)


def test_rte_16_genetic_plans_keep_skills_pins_windows_homes_and_lunch():
    problem = field_day(seed=3)

    solution = pyvrp_engine.PyvrpSolver(search="genetic").solve(problem, 1.0)

    assert solution.routes
    assert_routes_keep_rules(problem, solution.routes)


def test_rte_16_the_genetic_search_keeps_to_its_budget():
    problem = _scattered(visits=150, vehicles=12)
    calls = []

    began = time.monotonic()
    solution = pyvrp_engine.PyvrpSolver(search="genetic").solve(problem, 1.0, watch=calls.append)
    spent = time.monotonic() - began

    assert 0.95 <= spent < 1.5  # a child of 150 visits takes milliseconds; slack for load
    assert calls and calls == sorted(calls)
    assert solution.unassigned == ()
    assert_routes_keep_rules(problem, solution.routes)


def test_rte_16_the_genetic_search_is_chosen_for_larger_problems_with_budget_enough():
    small = _Model.build(field_day(seed=3)).data  # 40 visits
    larger = _Model.build(_scattered(visits=100, vehicles=10)).data

    assert not pyvrp_engine.uses_genetic_search(small, 60.0)
    assert not pyvrp_engine.uses_genetic_search(larger, 1.0), "1 s is too short for 100 visits"
    assert pyvrp_engine.uses_genetic_search(larger, 10.0)


def test_rte_16_a_sweep_gives_every_vehicle_work_and_serves_each_visit_once():
    data = _Model.build(_two_windowed(_scattered())).data
    keys = genetic.visit_keys(data)
    rng = pyvrp.RandomNumberGenerator(seed=2)

    plan = genetic.sweep(data, rng, genetic.RouteGeometry(data), keys, genetic.servable(data))

    served = [keys[c] for c in _visits(plan)]
    assert sorted(served) == sorted(set(keys)), "each visit once, in one of its windows"
    assert plan.num_routes() == data.num_vehicles
