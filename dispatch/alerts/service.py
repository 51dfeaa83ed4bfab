"""Raise alerts for staff and list them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.alerts.models import StaffAlert
from dispatch.users.models import User


def users_with_role(session: Session, role: str, region_id: int | None) -> list[User]:
    """Return the active users of a role who cover a region (all of them when none is given)."""
    users = session.scalars(select(User).where(User.role == role, User.active.is_(True)))
    return [u for u in users if region_id is None or region_id in (u.region_ids or [])]


def alert(session: Session, users, *, kind: str, message: str, **links) -> list[StaffAlert]:
    """Give each user (once, even when listed twice) an alert."""
    alerts = [
        StaffAlert(user_id=user_id, kind=kind, message=message[:500], **links)
        for user_id in dict.fromkeys(u if isinstance(u, int) else u.id for u in users)
    ]
    session.add_all(alerts)
    return alerts


def alert_role(session: Session, role: str, region_id: int | None, **fields) -> list[StaffAlert]:
    """Alert every user of a role in a region."""
    return alert(session, users_with_role(session, role, region_id), **fields)


def mine(session: Session, actor: Actor) -> list[StaffAlert]:
    """Return the acting user's alerts, newest first."""
    return list(
        session.scalars(
            select(StaffAlert).where(StaffAlert.user_id == actor.id).order_by(StaffAlert.id.desc())
        )
    )
