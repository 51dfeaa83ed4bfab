"""Pick the routing backend per problem and make its plan keep every rule of the engine.

PyVRP models every field rule (breaks by repair) and searches the whole budget. VROOM builds a
good plan fast: where it models the whole problem (no working-time limit: on SDVRPTW its plans
broke the route duration, and the planner starting from them trailed PyVRP alone at 10 s, 5.3 %
against 4.0 % mean gap), it gets a fifth of the budget (half when there are breaks, which VROOM
models and PyVRP does not), its plan is where PyVRP's search starts,
and the cheaper of the two repaired plans (travel plus unplanned cost) is returned. Without
PyVRP, VROOM plans alone. Either plan passes `repair`, so what the engine's own rules (working
time, speed, breaks, absences) reject is re-planned or reported unassigned.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dispatch.routing import pyvrp_engine, vroom_engine
from dispatch.routing.engine import Problem, Solution, Solver
from dispatch.routing.repair import repair
from dispatch.routing.vroom_engine import VroomSolver

WARM_START_SHARE = 0.2  # of the budget, for VROOM's plan that PyVRP starts from
# With breaks, VROOM (which models them) gets half: on the 500-visit Shanghai day with lunch,
# PyVRP's repaired plan never beat VROOM's, and VROOM with a fifth of 9 s trailed VROOM alone.
WARM_START_SHARE_WITH_BREAKS = 0.5
# VROOM does not stop inside its construction (about 1.5 ms a visit on SDVRPTW PR24 at level
# 0-1, 84 vehicles), so a warm start is only made when it fits the share of the budget.
WARM_START_TASKS_PER_S = 130
_LEAST_SEARCH_S = 0.05


def choose_solver(
    problem: Problem, *, threads: int = 1, seed: int = 1, iterations: int | None = None
) -> Solver:
    """Return PyVRP when installed and there is something to plan, else VROOM."""
    if pyvrp_engine.available() and pyvrp_engine.expresses(problem):
        return pyvrp_engine.PyvrpSolver(seed=seed, iterations=iterations)
    return VroomSolver(threads=threads)


class Planner:
    """Plan with the backends that fit the problem, within the budget.

    `threads` is VROOM's thread count (PyVRP searches on one). With `iterations`, PyVRP stops
    after that many iterations (or at the budget, whichever comes first) and starts from its own
    construction, so the same seed gives the same plan; with a time budget alone the plan
    depends on how far the search gets.
    """

    name = "planner"

    def __init__(self, threads: int = 1, seed: int = 1, iterations: int | None = None) -> None:
        self.threads = threads
        self.seed = seed
        self.iterations = iterations

    def solve(
        self,
        problem: Problem,
        time_limit_s: float,
        progress: Callable[[float], None] | None = None,
    ) -> Solution:
        """Plan the tasks on the vehicles within the time limit.

        `progress`, when given, is called during PyVRP's search with the share of the whole
        budget used so far (0..1); it must be quick, the search waits for it.
        """
        began = time.monotonic()

        def watch(used_s: float) -> None:
            if progress is not None:
                progress((time.monotonic() - began) / time_limit_s if time_limit_s else 1.0)

        watched = watch if progress is not None else None
        solver = choose_solver(
            problem, threads=self.threads, seed=self.seed, iterations=self.iterations
        )
        if (
            not isinstance(solver, pyvrp_engine.PyvrpSolver)
            or self.iterations is not None
            or not vroom_engine.expresses(problem)
            or len(problem.tasks) > WARM_START_TASKS_PER_S * time_limit_s
        ):
            if isinstance(solver, pyvrp_engine.PyvrpSolver):
                return repair(problem, solver.solve(problem, time_limit_s, watch=watched))
            return repair(problem, solver.solve(problem, time_limit_s))
        level = 5 if time_limit_s >= 5 else 1  # VROOM's full search only when there is time
        share = (
            WARM_START_SHARE_WITH_BREAKS
            if any(v.breaks for v in problem.vehicles)
            else WARM_START_SHARE
        )
        quick = repair(
            problem,
            VroomSolver(exploration_level=level, threads=self.threads).solve(
                problem, time_limit_s * share
            ),
        )
        left = max(time_limit_s - (time.monotonic() - began), _LEAST_SEARCH_S)
        searched = repair(problem, solver.solve(problem, left, start=quick, watch=watched))
        return min((searched, quick), key=lambda s: s.cost(problem))
