"""Follow-up sweeps: lost sends, missed deadlines, unanswered links (FUP-1, FUP-4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import SYSTEM
from dispatch.alerts import service as alerts
from dispatch.audit import audited
from dispatch.config import Config
from dispatch.followups.models import FollowUp
from dispatch.followups.rules import FollowUpStatus
from dispatch.followups.service import send


def due_unsent(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return follow-ups past their send time that never went out (lost job, flushed Redis)."""
    return list(
        session.scalars(
            select(FollowUp.id).where(
                FollowUp.status == FollowUpStatus.SCHEDULED, FollowUp.due_at <= now
            )
        )
    )


def send_late(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Send one lost follow-up; the send itself skips one that went out meanwhile."""
    return send(session, config=config, followup_id=item_id)


def past_deadline(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return unsent follow-ups whose 24-hour deadline has passed and are not yet flagged."""
    return list(
        session.scalars(
            select(FollowUp.id).where(
                FollowUp.status == FollowUpStatus.SCHEDULED,
                FollowUp.deadline_at < now,
                FollowUp.overdue_at.is_(None),
            )
        )
    )


def flag_overdue(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Flag a follow-up that missed its deadline; it shows on the SLA report."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.id == item_id).with_for_update()
    ).one()
    if followup.overdue_at is not None or followup.sent_at is not None:
        return "skipped"
    followup.overdue_at = followup.deadline_at
    audit.record(
        session,
        actor=SYSTEM,
        action="followup.overdue",
        entity="followup",
        entity_id=followup.id,
        after={"deadline_at": followup.deadline_at.isoformat()},
    )
    return "flagged"


def unanswered(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return sent follow-ups whose link went unanswered for the configured time (FUP-4)."""
    cutoff = now - timedelta(hours=config.followup_phone_task_hours)
    return list(
        session.scalars(
            select(FollowUp.id).where(
                FollowUp.status == FollowUpStatus.SENT, FollowUp.sent_at <= cutoff
            )
        )
    )


def to_phone_task(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Turn an unanswered follow-up into a phone task for the request's handler (FUP-6)."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.id == item_id).with_for_update()
    ).one()
    if not followup.awaiting_answer:
        return "skipped"
    owner_id = followup.visit.request.owner_id
    with audited(session, SYSTEM, followup, "followup.phone_task"):
        followup.to_phone_task(owner_id=owner_id, at=now)
    alerts.alert(
        session,
        [owner_id],
        kind="followup.phone_task",
        message=f"Call the customer of visit {followup.visit.number} for the follow-up",
        followup_id=followup.id,
    )
    return "phone_task"


def second_touch_due(session: Session, *, config: Config, now: datetime) -> list[int]:
    """FUP-10 (off by default): follow-ups sent this many days ago without a second touch."""
    if config.followup_second_touch_days <= 0:
        return []
    cutoff = now - timedelta(days=config.followup_second_touch_days)
    return list(
        session.scalars(
            select(FollowUp.id)
            .where(FollowUp.sent_at <= cutoff, FollowUp.second_touch_at.is_(None))
            .order_by(FollowUp.id)
            .limit(200)
        )
    )


def second_touch(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Give the request's handler the second-touch call of a follow-up, once (FUP-10)."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.id == item_id).with_for_update()
    ).one()
    if followup.second_touch_at is not None:
        return "skipped"
    owner_id = followup.visit.request.owner_id
    with audited(session, SYSTEM, followup, "followup.second_touch"):
        followup.mark_second_touch(now)
    alerts.alert(
        session,
        [owner_id],
        kind="followup.second_touch",
        message=f"Second touch: call the customer of visit {followup.visit.number} again",
        followup_id=followup.id,
    )
    return "second_touch"
