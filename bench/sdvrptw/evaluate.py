"""Site-dependent VRPTW evaluator: exact cost in thousandths and every reason a plan fails.

Rules: every customer exactly once; route k is driven by vehicle k, which may serve only its
allowed customers and carry its own capacity; service starts inside hard windows (waiting
allowed); the route returns by the depot's closing time and lasts at most the maximum duration,
the departure from the depot being as late as the route allows (waiting before it is free).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.sdvrptw.instances import SCALE, Instance


@dataclass(frozen=True)
class Evaluation:
    cost: int  # thousandths
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations


def evaluate(
    instance: Instance, routes: Sequence[Sequence[int]], distances: list[list[int]] | None = None
) -> Evaluation:
    """Cost and check routes of customer numbers, route k belonging to vehicle k + 1."""
    d = distances if distances is not None else instance.distances()
    violations = []
    if len(routes) > instance.fleet:
        violations.append(f"{len(routes)} routes for a fleet of {instance.fleet}")
    seen = Counter(c for r in routes for c in r)
    for customer in range(1, instance.customers + 1):
        if seen[customer] != 1:
            violations.append(f"customer {customer} visited {seen[customer]} times")
    violations += [f"unknown customer {c}" for c in seen if not 1 <= c <= instance.customers]
    cost = 0
    for k, route in enumerate(routes[: instance.fleet]):
        if not route or any(not 1 <= c <= instance.customers for c in route):
            continue
        route_cost, problems = _route(instance, d, k, route)
        cost += route_cost
        violations += [f"vehicle {k + 1}: {p}" for p in problems]
    return Evaluation(cost=cost, violations=tuple(violations))


def _route(instance: Instance, d, vehicle: int, route: Sequence[int]) -> tuple[int, list[str]]:
    problems = [f"may not serve customer {c}" for c in route if c not in instance.allowed[vehicle]]
    load = sum(instance.demand[c] for c in route)
    if load > instance.capacities[vehicle]:
        problems.append(f"load {load} exceeds capacity {instance.capacities[vehicle]}")
    depart = instance.ready[0]
    now, cost, here = depart, 0, 0
    waited = 0  # waiting so far: a later departure could absorb it
    slack = None  # how much later the departure could be without making anything late
    for c in [*route, 0]:
        cost += d[here][c]
        arrival = now + d[here][c]
        if arrival > instance.due[c]:
            place = "depot" if c == 0 else f"customer {c}"
            problems.append(f"{place} reached late at {arrival / SCALE}")
        room = waited + instance.due[c] - arrival
        slack = room if slack is None else min(slack, room)
        start = max(arrival, instance.ready[c])
        waited += start - arrival
        now = start + instance.service[c]
        here = c
    arrival_home = now - instance.service[0]
    duration = arrival_home - depart - max(0, min(slack, waited))
    if duration > instance.max_duration:
        problems.append(f"lasts {duration / SCALE}, more than {instance.max_duration / SCALE}")
    return cost, problems
