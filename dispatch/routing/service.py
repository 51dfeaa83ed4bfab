"""Use cases of routing: plan a region-day on the queue, accept or discard it, re-plan."""

from __future__ import annotations

import time
from datetime import date, datetime

from sqlalchemy.orm import Session

from dispatch import access, audit, outbox
from dispatch.actors import SYSTEM, Actor
from dispatch.assignments import service as assignments
from dispatch.assignments.rules import AssignmentSource
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.db import session_scope
from dispatch.errors import InvalidTransition, NotFound, RuleViolation
from dispatch.regions.models import Region
from dispatch.routing import problem as day_problem
from dispatch.routing.models import RoutePlan
from dispatch.routing.planner import Planner
from dispatch.schedule import service as schedule
from dispatch.schedule.days import travel_matrix_for
from dispatch.visits.models import Visit
from dispatch.visits.service import bookable_technician, get_visit

# Progress is written at most this often while the planner searches.
PROGRESS_EVERY_S = 1.0


def get_plan(session: Session, plan_id: int, *, actor: Actor) -> RoutePlan:
    """Load a plan of the actor's regions or raise NotFound."""
    plan = session.get(RoutePlan, plan_id)
    if plan is None or not access.may_see_region(actor, plan.region_id):
        raise NotFound(f"Plan {plan_id} not found")
    return plan


def request_plan(
    *,
    session: Session,
    actor: Actor,
    region_id: int,
    day: date,
    time_limit_s: float,
    allow_neighbours: bool = False,
    from_time: datetime | None = None,
) -> RoutePlan:
    """Queue a planner run for a region and day; the worker fills in progress and result."""
    if session.get(Region, region_id) is None or not access.may_see_region(actor, region_id):
        raise RuleViolation("Unknown region", details={"region_id": ["no such region"]})
    plan = RoutePlan(
        region_id=region_id,
        day=day,
        time_limit_s=time_limit_s,
        allow_neighbours=allow_neighbours,
        from_time=from_time,
        requested_by=actor.id,
    )
    audit.add_created(
        session,
        actor=actor,
        obj=plan,
        action="plan.requested",
        entity="plan",
        after={"region_id": region_id, "day": day.isoformat()},
    )
    outbox.add(session, "routing.plan", plan_id=plan.id)
    return plan


def _save(plan_id: int, change) -> None:
    # Progress is committed on its own so dispatchers can watch it while the job runs.
    with session_scope() as progress:
        change(progress.get(RoutePlan, plan_id))


def run_plan(session: Session, *, config: Config, plan_id: int) -> str:
    """Solve a queued plan with the planner over its whole budget, reporting progress."""
    plan = get_plan(session, plan_id, actor=SYSTEM)
    if not plan.waiting_to_run:
        return f"skipped:{plan.status}"
    _save(plan_id, RoutePlan.start)
    try:
        day = day_problem.build(
            session,
            region=plan.region,
            day=plan.day,
            travel=travel_matrix_for(config),
            allow_neighbours=plan.allow_neighbours,
            from_time=plan.from_time,
        )
        _save(plan_id, lambda p: p.report(15))
        planner = Planner(threads=config.plan_threads, seed=config.plan_seed)
        best = planner.solve(day.problem, plan.time_limit_s, progress=_reporter(plan_id))
        _save(plan_id, lambda p: p.report(95, best.travel_time))
    except Exception as exc:  # a failed plan says why; the dispatcher can plan again
        error = str(exc)
        _save(plan_id, lambda p: p.fail(error=error, at=utcnow()))
        raise
    summary = day_problem.solution_summary(day, best)
    _save(plan_id, lambda p: p.finish(solver=best.solver, result=summary, at=utcnow()))
    return "ready"


def _reporter(plan_id: int):
    """Return a progress callback (share of the budget used) that writes at most every second."""
    last = [time.monotonic()]

    def report(share: float) -> None:
        if time.monotonic() - last[0] >= PROGRESS_EVERY_S:
            last[0] = time.monotonic()
            done = 15 + int(80 * min(max(share, 0.0), 1.0))
            _save(plan_id, lambda p: p.report(done))

    return report


def accept_plan(*, session: Session, actor: Actor, plan_id: int) -> RoutePlan:
    """Write the plan's assignments and ordered stops with ETAs onto its visits."""
    plan = get_plan(session, plan_id, actor=actor)
    with audited(session, actor, plan, "plan.accepted"):
        plan.accept(utcnow())
    moves = [
        schedule.Move(
            session.get(Visit, stop["visit_id"]),
            route["technician_id"],
            datetime.fromisoformat(stop["start"]),
        )
        for route in plan.result["routes"]
        for stop in route["stops"]
    ]
    positions = {
        stop["visit_id"]: position
        for route in plan.result["routes"]
        for position, stop in enumerate(route["stops"], start=1)
    }
    for item in plan.result["unassigned"]:
        visit = session.get(Visit, item["visit_id"])
        if not visit.route_stop.pinned_technician:
            moves.append(schedule.Move(visit, None, None))
    # Visits started since the plan was made stay where they are: the field wins over the plan.
    moves = [m for m in moves if m.visit.waiting]
    schedule.refuse_held(session, moves)

    def save() -> None:
        for move in moves:
            assign(
                session,
                actor=actor,
                visit=move.visit,
                technician_id=move.technician_id,
                position=positions.get(move.visit.id),
                plan_id=plan.id,
                planned_start=move.start,
            )

    schedule.save_moves(session, save)
    return plan


def discard_plan(*, session: Session, actor: Actor, plan_id: int) -> RoutePlan:
    """Throw a finished plan away without touching any visit."""
    plan = get_plan(session, plan_id, actor=actor)
    with audited(session, actor, plan, "plan.discarded"):
        plan.discard(utcnow())
    return plan


def assign(
    session: Session,
    *,
    actor: Actor,
    visit: Visit,
    technician_id,
    position,
    plan_id,
    planned_start,
    source: str = AssignmentSource.PLAN,
    reason: str | None = None,
) -> None:
    """Put a not-yet-started visit on a technician's route (or off every route), audited; a
    change of technician is recorded as an assignment with its source and reason (DSP-4)."""
    if not visit.waiting:
        return  # started since the plan was made: the field wins over the plan
    before = visit.snapshot() | {"planned_start": _iso(visit.route_stop.planned_start)}
    schedule.assign(
        visit, technician_id=technician_id, start=planned_start, position=position, plan_id=plan_id
    )
    if reason is None and source == AssignmentSource.PLAN and plan_id is not None:
        reason = f"route plan {plan_id}"
    assignments.record(session, actor=actor, visit=visit, source=source, reason=reason)
    after = visit.snapshot() | {"planned_start": _iso(planned_start)}
    if before != after:
        audit.record(
            session,
            actor=actor,
            action="visit.routed",
            entity="visit",
            entity_id=visit.id,
            before=before,
            after=after,
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def pin(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    pin_technician: bool,
    technician_id: int | None = None,
    reason: str,
    pinned_start: datetime | None = None,
) -> Visit:
    """Dispatcher override: set the technician and/or start time the planner must keep; the
    reason is stored with the pin and with the assignment it makes (DSP-3, DSP-4)."""
    visit = get_visit(session, visit_id, actor=actor)
    if not visit.waiting:
        raise InvalidTransition(f"Visit is {visit.status}; only a scheduled visit can be pinned")
    if pinned_start and not visit.window_start <= pinned_start <= visit.window_end:
        raise RuleViolation(
            "The pinned start must lie in the arrival window",
            error_code="pin_outside_window",
            details={"pinned_start": ["outside the window"]},
        )
    if technician_id is not None:
        bookable_technician(
            session, technician_id, visit.request, visit.required_skill, visit.required_level
        )
        schedule.refuse_held(session, [schedule.Move(visit, technician_id, pinned_start)])
        schedule.save_moves(
            session,
            lambda: assign(
                session,
                actor=actor,
                visit=visit,
                technician_id=technician_id,
                position=None,
                plan_id=visit.route_stop.plan_id,
                planned_start=pinned_start,
                source=AssignmentSource.OVERRIDE,
                reason=reason,
            ),
        )
    if pin_technician and visit.technician_id is None:
        raise RuleViolation(
            "Choose a technician to pin",
            error_code="pin_needs_technician",
            details={"technician_id": ["required to pin"]},
        )
    stop = visit.route_stop
    before = {"pinned_technician": stop.pinned_technician, "pinned_start": _iso(stop.pinned_start)}
    schedule.pin(visit, technician=pin_technician, start=pinned_start)
    audit.record(
        session,
        actor=actor,
        action="visit.pinned",
        entity="visit",
        entity_id=visit.id,
        before=before,
        after={
            "pinned_technician": pin_technician,
            "pinned_start": _iso(pinned_start),
            "reason": reason,
        },
    )
    return visit
