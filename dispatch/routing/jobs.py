"""Outbox handlers of routing."""

from dispatch.config import active_config
from dispatch.routing.service import run_plan


def plan_region_day(session, message) -> str:
    """Run the planner for the plan an outbox message points at."""
    return run_plan(session, config=active_config(), plan_id=message.payload["plan_id"])
