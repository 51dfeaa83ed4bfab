"""Route plans: a planner run for one region and day, its progress and its result."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.regions.models import Region
from dispatch.routing.rules import PLAN_LIFECYCLE, PlanStatus


class RoutePlan(Base):
    __tablename__ = "route_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.QUEUED)
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

    audit_entity = "plan"

    def _move(self, to: PlanStatus) -> None:
        PLAN_LIFECYCLE.check(self.status, to)
        self.status = to

    @property
    def waiting_to_run(self) -> bool:
        return self.status == PlanStatus.QUEUED

    def start(self) -> None:
        """The worker took the plan and begins solving."""
        self._move(PlanStatus.RUNNING)
        self.progress = 5

    def report(self, progress: int, best_cost: int | None = None) -> None:
        """Show how far the solver got (percent) and the best cost so far."""
        self.progress = progress
        if best_cost is not None:
            self.best_cost = best_cost

    def finish(self, *, solver: str, result: dict, at: datetime) -> None:
        """Keep the best plan found; the dispatcher may now accept or discard it."""
        self._move(PlanStatus.READY)
        self.progress, self.solver, self.result, self.finished_at = 100, solver, result, at

    def fail(self, *, error: str, at: datetime) -> None:
        """Say why no plan came out; the dispatcher can plan again."""
        self._move(PlanStatus.FAILED)
        self.error, self.finished_at = error[:500], at

    def accept(self, at: datetime) -> None:
        self._move(PlanStatus.ACCEPTED)
        self.decided_at = at

    def discard(self, at: datetime) -> None:
        self._move(PlanStatus.DISCARDED)
        self.decided_at = at

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {"status": str(self.status)}
