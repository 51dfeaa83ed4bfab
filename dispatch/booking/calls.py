"""Call tasks: a person phones the customer to settle what a link or silence left open.

APT-5: a cancellation by link leaves the job waiting and opens a call task to resolve the reason.
APT-7: a proposal still unconfirmed after the configured time opens a call task. Each task is a
row with its due time (the sweep re-drives the proposal check); one per visit and kind.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch import access
from dispatch.actors import Actor
from dispatch.audit import audited
from dispatch.booking.models import Appointment
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.db import Base
from dispatch.errors import Conflict, NotFound
from dispatch.visits.models import Visit
from dispatch.visits.rules import AppointmentStatus, VisitStatus

KINDS = ("cancellation", "unconfirmed_proposal")


class CallTask(Base):
    """Phone the customer about a visit; resolved with the outcome of the call."""

    __tablename__ = "call_tasks"
    __table_args__ = (UniqueConstraint("visit_id", "kind"),)
    audit_entity = "call_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    kind: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(1000))

    def snapshot(self) -> dict:
        return {"kind": self.kind, "resolved": self.resolved_at is not None}


def open_task(session: Session, visit: Visit, kind: str, reason: str | None) -> CallTask:
    """Open the visit's call task of this kind, or return the one already open (idempotent)."""
    existing = session.scalars(
        select(CallTask).where(CallTask.visit_id == visit.id, CallTask.kind == kind)
    ).one_or_none()
    if existing is not None:
        return existing
    site = visit.request.site
    task = CallTask(
        request_id=visit.request_id,
        visit_id=visit.id,
        region_id=site.region_id if site else None,
        kind=kind,
        reason=reason,
        created_at=utcnow(),
    )
    session.add(task)
    session.flush()
    return task


def unconfirmed_proposals(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return visits proposed longer than the configured time ago without a call task (APT-7)."""
    since = now - timedelta(hours=config.proposal_call_after_hours)
    called = select(CallTask.id).where(
        CallTask.visit_id == Visit.id, CallTask.kind == "unconfirmed_proposal"
    )
    return list(
        session.scalars(
            select(Visit.id)
            .join(Appointment, Appointment.visit_id == Visit.id)
            .where(
                Visit.status == VisitStatus.SCHEDULED,
                Visit.created_at <= since,
                Appointment.status == AppointmentStatus.PROPOSED,
                ~called.exists(),
            )
            .order_by(Visit.id)
            .limit(500)
        )
    )


def call_about_proposal(session: Session, *, config: Config, item_id: int, now: datetime) -> None:
    """Open the call task of a proposal nobody confirmed (re-checked: it may be confirmed now)."""
    visit = session.get(Visit, item_id)
    if visit and visit.status == VisitStatus.SCHEDULED and not visit.confirmed:
        open_task(session, visit, "unconfirmed_proposal", "proposal not confirmed by the customer")


def open_tasks(session: Session, actor: Actor, *, before: int | None, limit: int) -> list[CallTask]:
    """List open call tasks in the actor's regions, newest first (keyset on id)."""
    query = (
        select(CallTask)
        .where(CallTask.resolved_at.is_(None), access.region_clause(actor, CallTask.region_id))
        .order_by(CallTask.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(CallTask.id < before)
    return list(session.scalars(query))


def resolve(session: Session, actor: Actor, task_id: int, outcome: str) -> CallTask:
    """Close a call task with what the customer said."""
    task = session.get(CallTask, task_id)
    if task is None:
        raise NotFound(f"Call task {task_id} not found")
    access.ensure_region(actor, task.region_id, what=f"Call task {task_id}")
    if task.resolved_at is not None:
        raise Conflict("The call task is already resolved", error_code="already_resolved")
    with audited(session, actor, task, "call_task.resolved"):
        task.resolved_at, task.resolved_by_id, task.outcome = utcnow(), actor.id, outcome
    return task
