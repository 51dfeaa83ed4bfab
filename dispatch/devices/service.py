"""Login sessions of staff and technicians' devices: every token is bound to one session, its
refresh token rotates (a reused one ends the session), and logout revokes them all."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.config import active_config
from dispatch.db import session_scope
from dispatch.devices.models import STAFF, DeviceSession, token_channel
from dispatch.errors import AuthenticationFailed, PermissionDenied
from dispatch.users.models import User
from dispatch.users.service import claims_for


def login(session: Session, *, user: User, device_id: str | None, channel: str) -> dict:
    """Open a session for the user on this device, ending the device's earlier session.

    Staff log in without a device: each staff login is a session of its own.
    """
    now = utcnow()
    device_id = device_id or f"{channel}-{uuid.uuid4().hex[:16]}"
    earlier = select(DeviceSession).where(
        DeviceSession.user_id == user.id,
        DeviceSession.device_id == device_id,
        DeviceSession.channel == channel,
        DeviceSession.revoked_at.is_(None),
    )
    for old in session.scalars(earlier.with_for_update()):
        old.revoke(now, "replaced")
    device = DeviceSession(
        user_id=user.id,
        device_id=device_id,
        channel=channel,
        refresh_jti=uuid.uuid4().hex,
        created_at=now,
    )
    session.add(device)
    session.flush()
    _audit(session, user, device, "device.login")
    return _tokens(session, user, device)


def refresh(session: Session, *, claims: dict, channel: str) -> dict:
    """Rotate the refresh token of a live session; a reused token ends the session.

    A refresh token works only at the door its session was opened through (`channel`).
    """
    if token_channel(claims) != channel:
        raise PermissionDenied(
            f"This refresh token belongs to the {token_channel(claims)} login",
            error_code="wrong_token_channel",
        )
    user_id, session_id, jti = int(claims["sub"]), claims["dsid"], claims["jti"]
    device = session.get(DeviceSession, session_id, with_for_update=True)
    user = session.get(User, user_id)
    if device is None or not device.active or user is None or not user.active:
        raise AuthenticationFailed("Device session ended; log in again", error_code="token_revoked")
    if device.refresh_jti != jti:
        # An old refresh token came back: someone kept a copy, so trust neither. The request
        # fails, so the revocation is committed on its own.
        session.rollback()
        with session_scope() as own:
            own.get(DeviceSession, session_id).revoke(utcnow(), "refresh_reuse")
        raise AuthenticationFailed("Refresh token was already used", error_code="token_revoked")
    device.refresh_jti, device.refreshed_at = uuid.uuid4().hex, utcnow()
    return _tokens(session, user, device)


def logout(session: Session, *, actor: Actor, session_id: int) -> None:
    """End the device session: its access and refresh tokens stop working."""
    device = session.get(DeviceSession, session_id, with_for_update=True) if session_id else None
    if device is not None and device.active:
        device.revoke(utcnow(), "logout")
        audit.record(
            session,
            actor=actor,
            action="device.logout",
            entity="device_session",
            entity_id=device.id,
            after={"device_id": device.device_id},
        )


def is_revoked(session: Session, claims: dict) -> bool:
    """Return whether a token is not bound to a live session (every valid token is)."""
    session_id = claims.get("dsid")
    if not isinstance(session_id, int):
        return True
    device = session.get(DeviceSession, session_id)
    return device is None or not device.active or device.user_id != _subject(claims)


def _subject(claims: dict) -> int | None:
    try:
        return int(claims.get("sub"))
    except (TypeError, ValueError):
        return None


def _tokens(session: Session, user: User, device: DeviceSession) -> dict:
    claims = claims_for(session, user) | {
        "dsid": device.id,
        "device_id": device.device_id,
        "chn": device.channel,
    }
    identity = str(user.id)
    config = active_config()
    lifetime = (
        timedelta(hours=config.staff_refresh_hours)
        if device.channel == STAFF
        else timedelta(days=config.refresh_token_days)
    )
    return {
        "access_token": create_access_token(identity=identity, additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity=identity,
            additional_claims=claims | {"jti": device.refresh_jti},
            expires_delta=lifetime,
        ),
        "role": user.role,
    }


def _audit(session: Session, user: User, device: DeviceSession, action: str) -> None:
    actor = Actor(kind="user", id=user.id, role=user.role, label=user.username)
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="device_session",
        entity_id=device.id,
        after={"device_id": device.device_id},
    )
