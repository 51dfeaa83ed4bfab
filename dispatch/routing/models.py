"""Route plans: a planner run for one region and day, its progress and its result."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.regions.models import Region

PLAN_STATES = ("queued", "running", "ready", "failed", "accepted", "discarded")


class RoutePlan(Base):
    __tablename__ = "route_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="queued")
    progress: Mapped[int] = mapped_column(default=0)  # percent
    best_cost: Mapped[int | None]  # travel seconds of the best plan found so far
    time_limit_s: Mapped[float] = mapped_column(default=5.0)
    allow_neighbours: Mapped[bool] = mapped_column(default=False)
    from_time: Mapped[datetime | None]  # re-plan: nothing starts before this
    solver: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[dict | None]
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]

    region: Mapped[Region] = relationship()

    def decide(self, status: str, at: datetime) -> None:
        """Accept or discard a finished plan, once."""
        if self.status != "ready":
            raise InvalidTransition(f"Plan is {self.status}; only a ready plan can be {status}")
        self.status, self.decided_at = status, at
