"""Schedule, send and answer the 24-hour follow-up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit, outbox
from dispatch.actors import SYSTEM, Actor
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.followups import rules
from dispatch.followups.models import FollowUp
from dispatch.links import service as links
from dispatch.notifications.service import queue_sms
from dispatch.visits.models import Visit


def schedule_for(session: Session, *, config: Config, visit: Visit, tz: str) -> FollowUp:
    """Plan the follow-up of a just-completed visit and queue its timed send."""
    due_at, deadline_at = rules.followup_times(
        visit.completed_at,  # the device time the work ended: FUP-1 counts from it
        delay=timedelta(minutes=config.followup_delay_minutes),
        deadline=timedelta(hours=config.followup_deadline_hours),
        tz=tz,
        window_start=config.contact_window_start,
        window_end=config.contact_window_end,
    )
    followup = FollowUp(visit=visit, due_at=due_at, deadline_at=deadline_at)
    session.add(followup)
    session.flush()
    outbox.add(session, "followup.send", run_at=due_at, followup_id=followup.id)
    audit.record(
        session,
        actor=SYSTEM,
        action="followup.scheduled",
        entity="followup",
        entity_id=followup.id,
        after={"due_at": due_at.isoformat()},
    )
    return followup


def send(session: Session, *, config: Config, followup_id: int) -> str:
    """Send the survey link once; a follow-up already sent is left alone."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.id == followup_id).with_for_update()
    ).one()
    if followup.status != "scheduled":
        return f"skipped:{followup.status}"
    visit = followup.visit
    now = utcnow()
    token = links.issue(
        session,
        secret_key=config.secret_key,
        purpose="followup",
        visit=visit,
        expires_at=now + timedelta(days=config.followup_link_days),
    )
    followup.mark_sent(now)
    queue_sms(
        session,
        customer=visit.request.customer,
        template="followup_survey",
        visit_id=visit.id,
        number=visit.number,
        link=f"{config.public_base_url}/l/{token}",
    )
    audit.record(
        session,
        actor=SYSTEM,
        action="followup.sent",
        entity="followup",
        entity_id=followup.id,
        before={"status": "scheduled"},
        after={"status": "sent"},
    )
    return "sent"


def answer(
    session: Session, *, actor: Actor, visit: Visit, rating: int, comment: str | None
) -> FollowUp:
    """Store the customer's rating on the follow-up and on the visit."""
    followup = session.scalars(
        select(FollowUp).where(FollowUp.visit_id == visit.id).with_for_update()
    ).one()
    if followup.answer(rating=rating, comment=comment, at=utcnow()):
        visit.record_rating(rating, comment)
        audit.record(
            session,
            actor=actor,
            action="followup.answered",
            entity="followup",
            entity_id=followup.id,
            before={"status": "sent"},
            after={"status": "answered", "rating": rating},
        )
    return followup
