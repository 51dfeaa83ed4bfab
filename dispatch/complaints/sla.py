"""Breached SLA clocks escalate the complaint one level and notify (CMP-16, CMP-17)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import SYSTEM
from dispatch.alerts import service as alerts
from dispatch.audit import audited
from dispatch.complaints import rules
from dispatch.complaints.models import Complaint, ComplaintClock, ComplaintEscalation
from dispatch.config import Config


def due_breaches(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return ids of unmet, unflagged clocks of open complaints that are past due."""
    return list(
        session.scalars(
            select(ComplaintClock.id)
            .join(Complaint)
            .where(
                ComplaintClock.met_at.is_(None),
                ComplaintClock.breached_at.is_(None),
                ComplaintClock.due_at <= now,
                Complaint.status.in_(rules.OPEN_STATES),
            )
            .order_by(ComplaintClock.due_at)
        )
    )


def breach(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Flag one clock as breached and escalate its complaint; a flagged clock is left alone."""
    clock = session.scalars(
        select(ComplaintClock).where(ComplaintClock.id == item_id).with_for_update()
    ).one()
    if clock.met_at is not None or clock.breached_at is not None:
        return "skipped"
    clock.breached_at = now
    complaint = session.scalars(
        select(Complaint).where(Complaint.id == clock.complaint_id).with_for_update()
    ).one()
    step = rules.escalation_target(complaint.escalation_level, config.escalation_roles)
    reason = f"{clock.name} breached (due {clock.due_at.isoformat()})"
    role = config.escalation_roles[-1]  # top of the ladder: keep telling the top
    with audited(session, SYSTEM, complaint, "complaint.sla_breached", extra={"clock": clock.name}):
        if step is not None:
            complaint.escalation_level, role = step
            complaint.escalations.append(
                ComplaintEscalation(
                    level=complaint.escalation_level, target_role=role, reason=reason
                )
            )
    _notify(session, complaint, role, reason)
    return "escalated" if step else "breached"


def _notify(session: Session, complaint: Complaint, role: str, reason: str) -> None:
    # CMP-17: the handler and the level the case now sits at both hear of it.
    targets = [complaint.owner_id, *alerts.users_with_role(session, role, complaint.region_id)]
    message = f"Complaint {complaint.number}: {reason}; escalated to {role}"
    alerts.alert(
        session, targets, kind="complaint.sla_breached", message=message, complaint_id=complaint.id
    )
