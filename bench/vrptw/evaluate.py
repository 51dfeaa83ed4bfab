"""DIMACS VRPTW evaluator: exact cost in tenths and every reason a solution is infeasible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.vrptw.instances import SCALE, Instance


@dataclass(frozen=True)
class Evaluation:
    cost_tenths: int
    violations: tuple[str, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def cost(self) -> float:
        return self.cost_tenths / SCALE


def evaluate(
    instance: Instance, routes: Sequence[Sequence[int]], distances: list[list[int]] | None = None
) -> Evaluation:
    """Cost and check routes of customer numbers: hard windows with waiting, load, fleet, cover."""
    d = distances if distances is not None else instance.distances()
    violations = []
    used = [r for r in routes if r]
    if len(used) > instance.fleet:
        violations.append(f"{len(used)} routes exceed the fleet of {instance.fleet}")
    seen = Counter(c for r in used for c in r)
    for customer in range(1, instance.customers + 1):
        if seen[customer] != 1:
            violations.append(f"customer {customer} visited {seen[customer]} times")
    violations += [f"unknown customer {c}" for c in seen if not 1 <= c <= instance.customers]
    cost = 0
    for k, route in enumerate(used, start=1):
        route_cost, problems = _route(instance, d, route)
        cost += route_cost
        violations += [f"route {k}: {p}" for p in problems]
    return Evaluation(cost_tenths=cost, violations=tuple(violations))


def _route(instance: Instance, d: list[list[int]], route: Sequence[int]) -> tuple[int, list[str]]:
    problems = []
    if any(not 1 <= c <= instance.customers for c in route):
        return 0, ["has unknown customers"]
    load = sum(instance.demand[c] for c in route)
    if load > instance.capacity:
        problems.append(f"load {load} exceeds capacity {instance.capacity}")
    now, cost, here = instance.ready[0] * SCALE, 0, 0
    for c in [*route, 0]:
        cost += d[here][c]
        now = max(now + d[here][c], instance.ready[c] * SCALE)
        if now > instance.due[c] * SCALE:
            problems.append(
                f"{'depot' if c == 0 else f'customer {c}'} reached late at {now / SCALE}"
            )
        now += instance.service[c] * SCALE
        here = c
    return cost, problems
