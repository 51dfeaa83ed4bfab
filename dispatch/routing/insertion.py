"""Insert one new or urgent visit into today's routes with the least extra travel."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.config import Config
from dispatch.errors import Conflict, RuleViolation
from dispatch.routing import problem as day_problem
from dispatch.routing.engine import Break, Insertion, Route, StepKind, insert, timed_route
from dispatch.routing.service import assign, travel_matrix_for
from dispatch.visits.models import Visit
from dispatch.visits.service import get_visit


def current_routes(
    day: day_problem.DayProblem, leave_out: int | None = None
) -> tuple[list[Route], set[int]]:
    """Time each technician's assigned visits in their planned order.

    Returns the routes and the technicians whose present order cannot be kept (e.g. after a
    manual override); those take no insertion, because nothing can be promised on their day.
    """
    problem = day.problem
    assigned: dict[int, list[Visit]] = {}
    for visit in day.visits.values():
        if visit.technician_id in day.problem.vehicle_by_id and visit.id != leave_out:
            assigned.setdefault(visit.technician_id, []).append(visit)
    routes, broken = [], set()
    for tech_id, visits in assigned.items():
        vehicle = problem.vehicle_by_id[tech_id]
        visits.sort(key=lambda v: (v.planned_start or v.window_start, v.id))
        items = [problem.task_by_id[v.id] for v in visits]
        items = _with_breaks(day, items, vehicle.breaks)
        route = timed_route(problem, vehicle, items)
        if route is None:
            broken.add(tech_id)
        else:
            routes.append(route)
    return routes, broken


def _with_breaks(day, tasks, breaks: tuple[Break, ...]) -> list:
    """Place each break before the first task that starts after its window opens."""
    items = list(tasks)
    for brk in sorted(breaks, key=lambda b: b.windows[0].start):
        opens = brk.windows[0].start
        at = next(
            (
                i
                for i, t in enumerate(items)
                if not isinstance(t, Break) and t.windows and t.windows[0].start >= opens
            ),
            len(items),
        )
        items.insert(at, brk)
    return items


def propose(
    *, session: Session, actor: Actor, config: Config, visit_id: int, apply: bool = False
) -> dict:
    """Find the cheapest feasible place for a visit on its day; assign it when asked."""
    visit = get_visit(session, visit_id)
    site = visit.request.site
    if not visit.waiting or site is None or site.region is None:
        raise RuleViolation(
            "Only a scheduled visit at a site inside a region can be inserted",
            error_code="not_insertable",
        )
    tz_day = visit.window_start.astimezone(ZoneInfo(site.region.timezone)).date()
    day = day_problem.build(
        session,
        region=site.region,
        day=tz_day,
        travel=travel_matrix_for(config),
        keep_booked_times=True,
    )
    routes, broken = current_routes(day, leave_out=visit.id)
    problem = replace(
        day.problem, vehicles=tuple(v for v in day.problem.vehicles if v.id not in broken)
    )
    found = insert(problem, routes, problem.task_by_id[visit.id])
    if not isinstance(found, Insertion):
        raise Conflict(
            "No technician can fit this visit",
            error_code="no_feasible_slot",
            details={"reason": found.reason},
        )
    proposal = _proposal(day, found)
    if apply:
        _apply(session, actor, day, found)
    return proposal


def _proposal(day, found: Insertion) -> dict:
    step = found.route.steps[found.position]
    return {
        "technician_id": found.vehicle_id,
        "position": found.position,
        "planned_start": day.at(step.start),
        "extra_travel_seconds": found.extra_travel,
    }


def _apply(session: Session, actor: Actor, day, found: Insertion) -> None:
    position = 0
    for step in found.route.steps:
        if step.kind is StepKind.TASK:
            position += 1
            visit = day.visits[step.id]
            assign(
                session,
                actor=actor,
                visit=visit,
                technician_id=found.vehicle_id,
                position=position,
                plan_id=visit.plan_id,
                planned_start=day.at(step.start),
            )
