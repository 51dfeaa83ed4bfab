"""Accounts: create users, check passwords (with lockout), the claims their tokens carry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from dispatch import audit
from dispatch.actors import SYSTEM, Actor
from dispatch.clock import utcnow
from dispatch.config import active_config
from dispatch.db import session_scope
from dispatch.errors import AuthenticationFailed, Conflict, RuleViolation
from dispatch.technicians.models import Technician
from dispatch.users.models import ROLES, User


def create_user(
    *,
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    full_name: str,
    role: str,
    region_ids: list[int] | None = None,
) -> User:
    """Create a staff or technician login."""
    if role not in ROLES:
        raise RuleViolation(f"Unknown role {role!r}", details={"role": [f"one of {ROLES}"]})
    if session.scalars(select(User).where(User.username == username)).first():
        raise Conflict(f"Username {username!r} is taken", error_code="username_taken")
    user = User(username=username, full_name=full_name, role=role, region_ids=region_ids or [])
    user.set_password(password, active_config().password_hash_method)
    audit.add_created(
        session,
        actor=actor,
        obj=user,
        action="user.created",
        entity="user",
        after={"username": username, "role": role},
    )
    return user


def update_user(
    *,
    session: Session,
    actor: Actor,
    user: User,
    role: str | None = None,
    region_ids: list[int] | None = None,
    full_name: str | None = None,
) -> User:
    """Change a user's role, the regions they serve or their name (ROL-1); new tokens carry it.

    A technician's profile stays with the login: a technician promoted to manager is still the
    one who did their past visits (ROL-5 refuses them countersigning those).
    """
    before = {"role": user.role, "region_ids": list(user.region_ids), "full_name": user.full_name}
    if role is not None:
        user.role = role
    if region_ids is not None:
        user.region_ids = sorted(set(region_ids))
    if full_name is not None:
        user.full_name = full_name
    after = {"role": user.role, "region_ids": list(user.region_ids), "full_name": user.full_name}
    if after != before:
        audit.record(
            session,
            actor=actor,
            action="user.updated",
            entity="user",
            entity_id=user.id,
            before=before,
            after=after,
        )
    return user


WRONG_CREDENTIALS = "Wrong username or password"


def authenticate(session: Session, username: str, password: str) -> User:
    """Return the active user with these credentials or raise AuthenticationFailed.

    Every refusal answers the same and costs one password hash, so an answer tells neither
    whether the user exists nor whether the account is locked. After LOGIN_LOCKOUT_FAILURES
    wrong passwords in a row the account refuses even the right one for LOGIN_LOCKOUT_MINUTES.
    """
    config, now = active_config(), utcnow()
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        generate_password_hash(password, method=config.password_hash_method)  # a check's cost
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    right = user.check_password(password)
    if user.is_locked(now) or not user.active:
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    if not right:
        _count_failure(user.id)
        raise AuthenticationFailed(WRONG_CREDENTIALS)
    if user.failed_logins or user.locked_until:
        user.failed_logins, user.locked_until = 0, None
    return user


def _count_failure(user_id: int) -> None:
    """Count a wrong password on its own transaction (the request's is rolled back)."""
    config, now = active_config(), utcnow()
    with session_scope() as own:
        user = own.get(User, user_id, with_for_update=True)
        user.failed_logins += 1
        if user.failed_logins >= config.login_lockout_failures:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=config.login_lockout_minutes)
            audit.record(
                own,
                actor=SYSTEM,
                action="user.locked",
                entity="user",
                entity_id=user.id,
                after={"locked_until": user.locked_until.isoformat()},
            )


def claims_for(session: Session, user: User) -> dict:
    """Return the JWT claims that carry the user's role, regions and technician id."""
    technician = session.scalars(select(Technician).where(Technician.user_id == user.id)).first()
    return {
        "role": user.role,
        "username": user.username,
        "region_ids": user.region_ids,
        "technician_id": technician.id if technician else None,
    }
