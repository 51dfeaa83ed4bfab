"""Pick the routing backend per problem and make its plan keep every rule of the engine.

PyVRP models every field rule (breaks by repair) and searches the whole budget (with
`pyvrp_engine`'s choice of search: its own ILS, or our genetic search for 50 visits or more
with 0.02 s a visit or more).
VROOM builds a good plan fast: where it models the whole problem (no working-time limit: on
SDVRPTW its plans broke the route duration, and the planner starting from them trailed PyVRP
alone at 10 s, 5.3 % against 4.0 % mean gap), it plans first, its plan is where PyVRP's search
starts, and the cheaper of the two repaired plans (travel plus unplanned cost) is returned.
Without PyVRP, VROOM plans alone. Either plan passes `repair`, so what the engine's own rules
(working time, speed, breaks, absences) reject is re-planned or reported unassigned.

How the budget is split (`vroom_run`): without breaks VROOM gets a fifth of it. With breaks,
which VROOM models and PyVRP does not, VROOM plans first with as much of it as VROOM alone
would use, and PyVRP searches what VROOM leaves: on the 500-visit Shanghai day with lunch, VROOM
with half of 30 s planned 460 visits and the planner 458, against 467 for VROOM alone with 30 s;
PyVRP's repaired plan never beat VROOM's there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dispatch.routing import pyvrp_engine, vroom_engine
from dispatch.routing.engine import Problem, Solution, Solver
from dispatch.routing.repair import repair
from dispatch.routing.vroom_engine import VroomSolver

WARM_START_SHARE = 0.2  # of the budget, for VROOM's plan that PyVRP starts from
# With breaks, which VROOM models and PyVRP does not, VROOM plans first. Its full search
# (level 5) gets the whole budget, as VROOM alone would, when the budget holds it less than
# twice (the 500-visit day at 30 s), else half (100 visits at 10 s: it usually ends by itself,
# and on the long-route lunch days PyVRP's half planned Solomon RC201 12 738 against VROOM's
# 13 928). Its quick search (level 1) gets nearly all of the budget when it should end by
# itself within it (LEVEL_1_S_PER_TASK), else half: where it is cut short anyway, PyVRP's half
# planned the long-route lunch days at 1 s (R201, RC201) 13-25 % cheaper.
WARM_START_SHARE_WITH_BREAKS = 1.0
HALF_SHARE_WITH_BREAKS = 0.5
QUICK_SHARE_WITH_BREAKS = 0.9
# VROOM's full search when the budget gives it this much a visit, else level 1: about 5 s for
# 100 visits, 25 s for the 500-visit day. VROOM splits its timeout evenly over its 32 (level 5)
# or 8 (level 1) local searches, so a full search cut short plans worse than a quick one that
# ends: on the 500-visit day at 15 s, level 5 planned 460 visits, level 1 463 in 7.4 s.
FULL_SEARCH_S_PER_TASK = 0.05
LEVEL_1_S_PER_TASK = 0.015  # 500-visit day: 7.4 s on one loaded core; Solomon: 0.4-1.0 s
# VROOM does not stop inside its construction (about 1.5 ms a visit on SDVRPTW PR24 at level
# 0-1, 84 vehicles), so a warm start is only made when it fits the budget.
WARM_START_TASKS_PER_S = 130
_LEAST_SEARCH_S = 0.05


def choose_solver(
    problem: Problem, *, threads: int = 1, seed: int = 1, iterations: int | None = None
) -> Solver:
    """Return PyVRP when installed and there is something to plan, else VROOM."""
    if pyvrp_engine.available() and pyvrp_engine.expresses(problem):
        return pyvrp_engine.PyvrpSolver(seed=seed, iterations=iterations)
    return VroomSolver(threads=threads)


def vroom_run(problem: Problem, time_limit_s: float) -> tuple[int, float] | None:
    """Return VROOM's exploration level and time cap for the plan PyVRP starts from, or None
    when no VROOM plan is made (VROOM does not model the problem, or cannot build it in time)."""
    if not vroom_engine.expresses(problem):
        return None
    tasks = len(problem.tasks)
    if tasks > WARM_START_TASKS_PER_S * time_limit_s:
        return None
    level = 5 if time_limit_s >= FULL_SEARCH_S_PER_TASK * tasks else 1
    if not any(v.breaks for v in problem.vehicles):
        share = WARM_START_SHARE
    elif level == 5:
        fits_twice = time_limit_s >= 2 * FULL_SEARCH_S_PER_TASK * tasks
        share = HALF_SHARE_WITH_BREAKS if fits_twice else WARM_START_SHARE_WITH_BREAKS
    elif LEVEL_1_S_PER_TASK * tasks <= QUICK_SHARE_WITH_BREAKS * time_limit_s:
        share = QUICK_SHARE_WITH_BREAKS
    else:
        share = HALF_SHARE_WITH_BREAKS
    return level, time_limit_s * share


class Planner:
    """Plan with the backends that fit the problem, within the budget.

    `threads` is VROOM's thread count (PyVRP searches on one). With `iterations`, the search
    stops after that many iterations (children, for the genetic search of larger problems), or
    at the budget, whichever comes first, and starts from its own construction, so the same
    seed gives the same plan; with a time budget alone the plan depends on how far it gets.
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
        run = vroom_run(problem, time_limit_s)
        if (
            not isinstance(solver, pyvrp_engine.PyvrpSolver)
            or self.iterations is not None
            or run is None
        ):
            if isinstance(solver, pyvrp_engine.PyvrpSolver):
                return repair(problem, solver.solve(problem, time_limit_s, watch=watched))
            return repair(problem, solver.solve(problem, time_limit_s))
        level, cap = run
        quick = repair(
            problem,
            VroomSolver(exploration_level=level, threads=self.threads).solve(problem, cap),
        )
        left = time_limit_s - (time.monotonic() - began)
        if left < _LEAST_SEARCH_S and cap >= time_limit_s:
            return quick  # VROOM used the whole budget, as it would alone
        left = max(left, _LEAST_SEARCH_S)
        searched = repair(problem, solver.solve(problem, left, start=quick, watch=watched))
        return min((searched, quick), key=lambda s: s.cost(problem))
