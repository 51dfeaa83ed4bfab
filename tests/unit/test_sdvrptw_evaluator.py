"""RTE-16: the site-dependent VRPTW evaluator reproduces all 52 best-known costs exactly and
rejects plans that break a vehicle's customer list, its capacity or the maximum duration."""

from dataclasses import replace

import pytest

from bench.sdvrptw.evaluate import evaluate
from bench.sdvrptw.instances import CORDEAU, instance_paths, read_instance, read_solution

PATHS = instance_paths()


def _pr01():
    path = next(p for p in PATHS if p.stem == "PR01")
    return read_instance(path), read_solution(path.with_suffix(".sol"))


def test_rte_16_shared_data_holds_24_cordeau_and_28_vidal_instances():
    names = [p.stem for p in PATHS]
    assert len(names) == 52
    assert names[:24] == list(CORDEAU)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_rte_16_evaluator_reproduces_every_best_known_cost(path):
    instance, solution = read_instance(path), read_solution(path.with_suffix(".sol"))

    result = evaluate(instance, solution.routes)

    assert result.violations == ()
    assert result.cost == solution.cost


def test_rte_16_a_customer_off_the_vehicles_list_is_rejected():
    instance, solution = _pr01()
    first = solution.routes[0][0]
    barred = replace(
        instance,
        allowed=(instance.allowed[0] - {first}, *instance.allowed[1:]),
    )

    result = evaluate(barred, solution.routes)

    assert result.violations == (f"vehicle 1: may not serve customer {first}",)


def test_rte_16_the_maximum_duration_counts_from_the_latest_possible_departure():
    instance, solution = _pr01()
    longest = max(_durations(instance, solution.routes))

    assert evaluate(replace(instance, max_duration=longest), solution.routes).feasible
    shorter = evaluate(replace(instance, max_duration=longest - 1), solution.routes)
    assert len(shorter.violations) == 1
    assert "more than" in shorter.violations[0]


def _durations(instance, routes):
    """Route durations at the latest departure that is on time, found by bisection."""
    d = instance.distances()

    def drive(route, depart):
        now, here, late = depart, 0, False
        for c in [*route, 0]:
            arrival = now + d[here][c]
            late |= arrival > instance.due[c]
            now, here = max(arrival, instance.ready[c]) + instance.service[c], c
        return late, now - depart

    found = []
    for route in (r for r in routes if r):
        early, late = instance.ready[0], instance.due[0]
        while early < late:
            middle = (early + late + 1) // 2
            early, late = (early, middle - 1) if drive(route, middle)[0] else (middle, late)
        found.append(drive(route, early)[1])
    return found


def test_rte_16_capacity_duplicates_and_missing_customers_are_reported():
    instance, solution = _pr01()
    routes = [list(r) for r in solution.routes]
    moved = routes[2].pop()
    routes[0].append(routes[3][0])  # visited twice, and vehicle 1 may not serve it

    result = evaluate(replace(instance, capacities=(1, *instance.capacities[1:])), routes)

    joined = " | ".join(result.violations)
    assert f"customer {moved} visited 0 times" in joined
    assert f"customer {routes[3][0]} visited 2 times" in joined
    assert "vehicle 1: load" in joined
