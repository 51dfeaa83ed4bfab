"""Pick the routing backend per problem: PyVRP for pure VRPTW, VROOM for field constraints."""

from __future__ import annotations

import time

from dispatch.routing import pyvrp_engine, rules
from dispatch.routing.engine import Problem, Solution, Solver
from dispatch.routing.vroom_engine import VroomSolver


def choose_solver(problem: Problem) -> Solver:
    """Return PyVRP when installed, able to express the problem and likely to fit it all."""
    if (
        pyvrp_engine.available()
        and pyvrp_engine.expresses(problem)
        and not _some_task_cannot_fit(problem)
    ):
        return pyvrp_engine.PyvrpSolver()
    return VroomSolver()


def _some_task_cannot_fit(problem: Problem) -> bool:
    # PyVRP must visit every task and would spend the whole budget proving it cannot.
    capacities = [v.capacity for v in problem.vehicles]
    if None not in capacities and sum(t.demand for t in problem.tasks) > sum(capacities):
        return True
    return any(rules.diagnose(problem, t) is not None for t in problem.tasks)


class Planner:
    """Solve with the backend that fits the problem; fall back to VROOM if PyVRP cannot fit all."""

    name = "planner"

    def solve(self, problem: Problem, time_limit_s: float) -> Solution:
        """Plan all tasks on the vehicles within the time limit."""
        began = time.monotonic()
        solver = choose_solver(problem)
        solution = solver.solve(problem, time_limit_s)
        if solution.unassigned and not isinstance(solver, VroomSolver):
            # PyVRP has to visit every task; when they do not all fit, VROOM plans the most it
            # can and names a reason for the rest. Only the time left of the budget is spent.
            left = max(time_limit_s - (time.monotonic() - began), 0.1)
            solution = VroomSolver().solve(problem, left)
        return solution
