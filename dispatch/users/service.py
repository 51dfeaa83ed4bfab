"""Accounts: create users, check passwords (with lockout), the claims their tokens carry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from dispatch import audit
from dispatch.access import visible_region_ids
from dispatch.actors import SYSTEM, Actor
from dispatch.api.listing import Page, contains, json_list_contains, order, paginate, starts_with
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


USER_SORTS = {
    "username": order((User.username, False), (User.id, False)),
    "-username": order((User.username, True), (User.id, True)),
    "id": order((User.id, False)),
    "-id": order((User.id, True)),
}


def list_users(
    session: Session,
    actor: Actor,
    *,
    sort: str = "username",
    limit: int = 50,
    after: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    region_id: int | None = None,
    q: str | None = None,
) -> Page:
    """One page of the users who work in a region the actor may see (issue 12; the views let
    only administrators and managers list users); `q` is a username start or part of a name."""
    query = select(User)
    regions = visible_region_ids(actor)
    if regions is not None:
        shared = [json_list_contains(session, User.region_ids, rid) for rid in regions]
        query = query.where(or_(*shared) if shared else false())
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    if region_id is not None:
        query = query.where(json_list_contains(session, User.region_ids, region_id))
    if q:
        query = query.where(or_(starts_with(User.username, q), contains(User.full_name, q)))
    return paginate(session, query, sorts=USER_SORTS, sort=sort, limit=limit, after=after)
