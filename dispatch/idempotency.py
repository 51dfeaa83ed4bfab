"""Idempotency-Key store for mobile writes: a replay returns the stored response.

Every mobile write requires the key (428 without it): a phone that lost the answer retries with
the same key and gets the first answer back, never a second effect or a confusing 409. The key is
scoped to the user and device. A retry of a finished write replays its response; the
same key with another body is refused (422); a retry while the first is still running gets 409.
On PostgreSQL a transaction-scoped advisory lock spots the concurrent duplicate at once; the
unique constraint is the guard on every database (its IntegrityError maps to 409).
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

from flask import request
from flask_jwt_extended import get_jwt
from sqlalchemy import String, UniqueConstraint, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.api.base import transactional
from dispatch.api.errors import error_response
from dispatch.api.openapi import idempotency_key_required
from dispatch.clock import utcnow
from dispatch.db import Base, db
from dispatch.errors import Conflict, RuleViolation

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128


class IdempotentResponse(Base):
    __tablename__ = "idempotent_responses"
    __table_args__ = (UniqueConstraint("user_id", "device_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int]
    device_id: Mapped[str] = mapped_column(String(128))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict | None]  # JSON: an object or a list
    etag: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]


def fingerprint(method: str, path: str, body: bytes) -> str:
    """Return the hash that tells a true replay from a different request under the same key."""
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def _body_bytes() -> bytes:
    """The body as the fingerprint sees it; a multipart upload by its fields and files.

    A retried upload may come with a new multipart boundary (HTTP libraries pick one per send):
    the same fields and the same file bytes are the same request.
    """
    if request.mimetype != "multipart/form-data":
        return request.get_data()
    parts = [f"{name}={value}" for name, value in sorted(request.form.items(multi=True))]
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest = hashlib.sha256(upload.stream.read()).hexdigest()
        upload.stream.seek(0)
        parts.append(f"{name}:{upload.filename}:{upload.mimetype}:{digest}")
    return "\n".join(parts).encode()


def idempotent(view):
    """Run a write view once per Idempotency-Key; commit its effect and its response together."""

    @idempotency_key_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return error_response(
                428,
                f"Send an {HEADER} header (one new key per intended change; reuse it on retry)",
                "idempotency_key_required",
                {"header": HEADER},
            )
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise RuleViolation(
                f"{HEADER} must have 1 to {MAX_KEY_LENGTH} characters",
                error_code="bad_idempotency_key",
                details={HEADER: ["length"]},
            )
        claims = get_jwt()
        scope = (int(claims["sub"]), claims.get("device_id") or "", key)
        print_ = fingerprint(request.method, request.path, _body_bytes())
        session = db.session()
        stored = _claim(session, scope)
        if stored is not None:
            session.rollback()
            return _replay(stored, print_)

        def run_and_store(*a, **kw):
            response = view(*a, **kw)
            _store(session, scope, print_, response)
            return response

        return transactional(run_and_store)(*args, **kwargs)

    return wrapper


def lock_id(user_id: int, device_id: str, key: str) -> int:
    """Return the PostgreSQL advisory lock number of one key."""
    digest = hashlib.sha256(repr((user_id, device_id, key)).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _claim(session: Session, scope: tuple) -> IdempotentResponse | None:
    """Take the key's lock for this transaction; return the stored response if there is one."""
    if session.get_bind().dialect.name == "postgresql":
        number = lock_id(*scope)
        if not session.scalar(text("SELECT pg_try_advisory_xact_lock(:id)"), {"id": number}):
            session.rollback()
            raise _in_progress()
    user_id, device_id, key = scope
    return session.scalars(
        select(IdempotentResponse).where(
            IdempotentResponse.user_id == user_id,
            IdempotentResponse.device_id == device_id,
            IdempotentResponse.key == key,
        )
    ).first()


def _in_progress() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still being processed; retry shortly",
        error_code="idempotency_in_progress",
    )


def _replay(stored: IdempotentResponse, print_: str):
    if stored.fingerprint != print_:
        raise RuleViolation(
            f"This {HEADER} was used for a different request",
            error_code="idempotency_key_reused",
            details={HEADER: ["used with another body or path"]},
        )
    headers = {"Idempotent-Replayed": "true"}
    if stored.etag:
        headers["ETag"] = stored.etag
    return stored.body, stored.status_code, headers


def _store(session: Session, scope: tuple, print_: str, response) -> None:
    user_id, device_id, key = scope
    session.add(
        IdempotentResponse(
            user_id=user_id,
            device_id=device_id,
            key=key,
            fingerprint=print_,
            status_code=response.status_code,
            body=response.get_json(silent=True),
            etag=response.headers.get("ETag"),
            created_at=utcnow(),
        )
    )
    session.flush()
