"""Pick the routing backend per problem and make its plan keep every rule of the engine.

PyVRP models every field rule (breaks by repair), searches the whole budget and is the default;
VROOM plans when PyVRP is not installed. Either plan passes `repair`, so what the engine's own
rules (working time, speed, breaks, absences) reject is re-planned or reported unassigned.
"""

from __future__ import annotations

from dispatch.routing import pyvrp_engine
from dispatch.routing.engine import Problem, Solution, Solver
from dispatch.routing.repair import repair
from dispatch.routing.vroom_engine import VroomSolver


def choose_solver(
    problem: Problem, *, threads: int = 1, seed: int = 1, iterations: int | None = None
) -> Solver:
    """Return PyVRP when installed and there is something to plan, else VROOM."""
    if pyvrp_engine.available() and pyvrp_engine.expresses(problem):
        return pyvrp_engine.PyvrpSolver(seed=seed, iterations=iterations)
    return VroomSolver(threads=threads)


class Planner:
    """Plan with the backend that fits the problem, within the budget.

    `threads` is VROOM's thread count (PyVRP searches on one). With `iterations`, PyVRP stops
    after that many iterations (or at the budget, whichever comes first), so the same seed gives
    the same plan; with a time budget alone the plan depends on how far the search gets.
    """

    name = "planner"

    def __init__(self, threads: int = 1, seed: int = 1, iterations: int | None = None) -> None:
        self.threads = threads
        self.seed = seed
        self.iterations = iterations

    def solve(self, problem: Problem, time_limit_s: float) -> Solution:
        """Plan the tasks on the vehicles within the time limit."""
        solver = choose_solver(
            problem, threads=self.threads, seed=self.seed, iterations=self.iterations
        )
        return repair(problem, solver.solve(problem, time_limit_s))
