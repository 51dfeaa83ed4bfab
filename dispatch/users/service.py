"""Accounts: create users, check passwords, mint tokens."""

from __future__ import annotations

from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.config import active_config
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


def authenticate(session: Session, username: str, password: str) -> User:
    """Return the active user with these credentials or raise AuthenticationFailed."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active or not user.check_password(password):
        raise AuthenticationFailed("Wrong username or password")
    return user


def claims_for(session: Session, user: User) -> dict:
    """Return the JWT claims that carry the user's role, regions and technician id."""
    technician = session.scalars(select(Technician).where(Technician.user_id == user.id)).first()
    return {
        "role": user.role,
        "username": user.username,
        "region_ids": user.region_ids,
        "technician_id": technician.id if technician else None,
    }


def tokens_for(session: Session, user: User) -> dict:
    """Mint an access and a refresh token for the user."""
    claims = claims_for(session, user)
    return {
        "access_token": create_access_token(identity=str(user.id), additional_claims=claims),
        "refresh_token": create_refresh_token(identity=str(user.id), additional_claims=claims),
        "role": user.role,
    }


def refresh(session: Session, user_id: int) -> dict:
    """Mint a new access token for a still-active user."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AuthenticationFailed("Account disabled")
    return {
        "access_token": create_access_token(
            identity=str(user.id), additional_claims=claims_for(session, user)
        ),
        "role": user.role,
    }
