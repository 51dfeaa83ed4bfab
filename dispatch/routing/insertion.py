"""Insert one new or urgent visit into today's routes with the least extra travel."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.config import Config
from dispatch.errors import RuleViolation
from dispatch.routing.engine import StepKind
from dispatch.routing.service import assign
from dispatch.schedule import service as schedule
from dispatch.visits.models import Visit
from dispatch.visits.service import get_visit


def propose(
    *, session: Session, actor: Actor, config: Config, visit_id: int, apply: bool = False
) -> dict:
    """Find the cheapest feasible place for a visit on its day; assign it when asked."""
    visit = get_visit(session, visit_id, actor=actor)
    site = visit.request.site
    if not visit.waiting or site is None or site.region is None:
        raise RuleViolation(
            "Only a scheduled visit at a site inside a region can be inserted",
            error_code="not_insertable",
        )
    found, start, starts = schedule.insertion(session, config, visit)  # 409 when nowhere
    if apply:
        position = 0
        for step in found.route.steps:
            if step.kind is StepKind.TASK:
                position += 1
                stop = session.get(Visit, step.id)
                assign(
                    session,
                    actor=actor,
                    visit=stop,
                    technician_id=found.vehicle_id,
                    position=position,
                    plan_id=stop.route_stop.plan_id,
                    planned_start=starts[step.id],
                )
    return {
        "technician_id": found.vehicle_id,
        "position": found.position,
        "planned_start": start,
        "extra_travel_seconds": found.extra_travel,
    }
