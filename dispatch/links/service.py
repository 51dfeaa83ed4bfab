"""Issue and check customer link tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dispatch.clock import utcnow
from dispatch.errors import LinkInvalid
from dispatch.links.models import CustomerLink
from dispatch.visits.models import Visit

SALT = "customer-link-v1"
# One link per action, each single-purpose: view/confirm/track, reschedule, cancel.
APPOINTMENT_PURPOSES = ("appointment", "reschedule", "cancel")


def token_of(secret_key: str, link: CustomerLink) -> str:
    """Return the signed token of a stored link (the same text its SMS carried)."""
    return _serializer(secret_key).dumps({"j": link.jti, "p": link.purpose})


def page_url(base_url: str, token: str) -> str:
    """Return the customer page address of a link token (what goes into an SMS)."""
    return f"{base_url}/l/{token}"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def issue(
    session: Session, *, secret_key: str, purpose: str, visit: Visit, expires_at: datetime
) -> str:
    """Create a link for one purpose on one visit and return its signed token."""
    token = _add(
        session, secret_key=secret_key, purpose=purpose, visit=visit, expires_at=expires_at
    )
    session.flush()
    return token


def _add(session: Session, *, secret_key: str, purpose: str, visit: Visit, expires_at) -> str:
    link = CustomerLink(
        jti=secrets.token_urlsafe(24),
        purpose=purpose,
        visit_id=visit.id,
        customer_id=visit.request.customer_id,
        expires_at=expires_at,
    )
    session.add(link)
    return _serializer(secret_key).dumps({"j": link.jti, "p": purpose})


def resolve(session: Session, *, secret_key: str, token: str, purpose: str) -> CustomerLink:
    """Return the live link behind a token, or raise LinkInvalid saying why."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature as exc:
        raise LinkInvalid("This link is not valid", error_code="link_tampered") from exc
    if data.get("p") != purpose:
        raise LinkInvalid("This link is for something else", error_code="link_wrong_purpose")
    link = session.scalars(select(CustomerLink).where(CustomerLink.jti == data.get("j"))).first()
    if link is None or link.purpose != purpose:
        raise LinkInvalid("This link is not valid", error_code="link_unknown")
    if link.revoked_at is not None:
        raise LinkInvalid("This link was withdrawn", error_code="link_revoked")
    if link.expires_at <= utcnow():
        raise LinkInvalid("This link has expired", error_code="link_expired")
    link.last_used_at = utcnow()
    return link


def purpose_of(*, secret_key: str, token: str) -> str:
    """Read the purpose a token was signed for (LinkInvalid if tampered)."""
    try:
        return _serializer(secret_key).loads(token)["p"]
    except (BadSignature, KeyError, TypeError) as exc:
        raise LinkInvalid("This link is not valid", error_code="link_tampered") from exc


def revoke_for_visit(session: Session, visit_id: int, *purposes: str) -> None:
    """Withdraw every live link of these purposes on a visit."""
    session.execute(
        update(CustomerLink)
        .where(
            CustomerLink.visit_id == visit_id,
            CustomerLink.purpose.in_(purposes),
            CustomerLink.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


def issue_appointment_links(session: Session, *, secret_key: str, visit: Visit) -> str:
    """Issue the view, reschedule and cancel links of an appointment; return the view token.

    The three rows go to the database together, in one statement, with the next flush.
    """
    tokens = [
        _add(
            session,
            secret_key=secret_key,
            purpose=purpose,
            visit=visit,
            expires_at=visit.window_end,
        )
        for purpose in APPOINTMENT_PURPOSES
    ]
    return tokens[0]


def live_tokens(session: Session, *, secret_key: str, visit_id: int) -> dict[str, str]:
    """Return the token of each live link of a visit, by purpose (for the page's buttons)."""
    rows = session.scalars(
        select(CustomerLink)
        .where(
            CustomerLink.visit_id == visit_id,
            CustomerLink.revoked_at.is_(None),
            CustomerLink.expires_at > utcnow(),
        )
        .order_by(CustomerLink.id)
    )
    return {
        row.purpose: _serializer(secret_key).dumps({"j": row.jti, "p": row.purpose}) for row in rows
    }


def extend_for_visit(session: Session, visit_id: int, purposes, expires_at: datetime) -> None:
    """Keep a moved visit's live links working until its new window ends."""
    session.execute(
        update(CustomerLink)
        .where(
            CustomerLink.visit_id == visit_id,
            CustomerLink.purpose.in_(purposes),
            CustomerLink.revoked_at.is_(None),
        )
        .values(expires_at=expires_at)
    )
