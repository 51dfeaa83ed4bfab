"""The public web form (INT-15): send a one-time code, then accept the request it confirms.

Customers have no login: holding the phone is the proof. A code is 6 digits, kept as a keyed
hash, lives `web_code_minutes`, allows `web_code_attempts` tries and confirms one submission.
Sending is limited per phone and per client address by counting the code rows of the last hour
(the database, not process memory, holds the count). A retried submission with the same code
and the same content returns the request already accepted; other content is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch import audit, outbox
from dispatch.actors import SYSTEM
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.geocoding import Geocoder
from dispatch.customers.service import phone_or_422
from dispatch.errors import Conflict, DomainError, RuleViolation, TooManyRequests
from dispatch.notifications.models import SmsMessage
from dispatch.notifications.templates import render
from dispatch.privacy import crypto, search
from dispatch.privacy import service as privacy
from dispatch.regions.models import Region
from dispatch.regions.rules import region_containing
from dispatch.webform import rules
from dispatch.webform.models import PhoneCode, WebRequest

HOUR = timedelta(hours=1)


def send_code(
    *, session: Session, config: Config, phone: str, client: str, language: str = "zh-CN"
) -> PhoneCode:
    """Text a new one-time code to the phone, unless this phone or address asked too often."""
    e164 = phone_or_422(phone, config.default_phone_region)
    phone_index, client_index = search.phone_index(e164), crypto.blind("client", client or "-")
    since = utcnow() - HOUR
    problem = rules.sending_problem(
        sent_for_phone=_sent(session, PhoneCode.phone_index == phone_index, since),
        sent_for_client=_sent(session, PhoneCode.client_index == client_index, since),
        per_phone=config.web_codes_per_phone_hour,
        per_client=config.web_codes_per_client_hour,
    )
    if problem:
        raise TooManyRequests(f"No code sent: {problem[1]}", error_code=problem[0])
    code = f"{secrets.randbelow(10**rules.CODE_DIGITS):0{rules.CODE_DIGITS}d}"
    now = utcnow()
    row = PhoneCode(
        phone_index=phone_index,
        client_index=client_index,
        code_hash="",
        sent_at=now,
        expires_at=now + timedelta(minutes=config.web_code_minutes),
    )
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(row.id, code)
    _text_code(session, e164, language, code, config.web_code_minutes, row.id)
    return row


def _sent(session: Session, condition, since) -> int:
    counted = select(func.count(PhoneCode.id)).where(condition, PhoneCode.sent_at > since)
    return session.scalar(counted)


def _code_hash(code_id: int, code: str) -> str:
    return crypto.blind("phone_code", f"{code_id}:{code}")


def _text_code(session: Session, e164: str, language: str, code: str, minutes: int, ref: int):
    """Queue the code's SMS; the phone has no customer (yet), so no customer's consent applies."""
    message = SmsMessage(
        to_phone=e164,
        template="web_form_code",
        language=language,
        body=render("web_form_code", language, code=code, minutes=minutes),
    )
    session.add(message)
    session.flush()
    privacy.disclose(session, "sms_gateway", customer_id=None, reference=f"sms:{message.id}")
    outbox.add(session, "sms.send", sms_id=message.id)


@dataclass
class Outcome:
    """What a submission came to: the accepted request, or why not (a wrong try still counts,
    so the caller commits before raising `problem`)."""

    web_request: WebRequest | None = None
    problem: DomainError | None = None


def submit(
    *, session: Session, config: Config, geocoder: Geocoder, phone: str, code: str, **form
) -> Outcome:
    """Accept a request confirmed by the phone's latest code (single use, retry-safe)."""
    e164 = phone_or_422(phone, config.default_phone_region)
    phone_index = search.phone_index(e164)
    row = session.scalars(
        select(PhoneCode)
        .where(PhoneCode.phone_index == phone_index)
        .order_by(PhoneCode.id.desc())
        .limit(1)
        .with_for_update()
    ).one_or_none()
    if row is None:
        return Outcome(problem=_wrong("No code was sent to this phone", None))
    print_ = _fingerprint(e164, form)
    matches = hmac.compare_digest(row.code_hash, _code_hash(row.id, code))
    if matches and row.used:
        return _replay(session, row, print_)
    problem = rules.code_problem(
        status=row.status,
        expires_at=row.expires_at,
        attempts=row.attempts,
        max_attempts=config.web_code_attempts,
        now=utcnow(),
    )
    if problem:
        return Outcome(problem=_refusal(*problem))
    if not matches:
        with audit.audited(session, SYSTEM, row, "phone_code.wrong_try"):
            row.wrong_try(config.web_code_attempts)
        left = rules.attempts_left(row.attempts, config.web_code_attempts)
        if not left:
            return Outcome(problem=_refusal(*rules.code_problem_locked()))
        return Outcome(problem=_wrong("The code is wrong", left))
    return Outcome(web_request=_accept(session, geocoder, row, e164, phone_index, print_, form))


def _accept(session, geocoder, row: PhoneCode, e164, phone_index, print_, form) -> WebRequest:
    now = utcnow()
    with audit.audited(session, SYSTEM, row, "phone_code.used"):
        row.use(now)
    found = geocoder.geocode(form["address"])
    where = getattr(geocoder, "name", None)
    privacy.disclose(session, "geocoder", customer_id=None, reference=where)
    region = (
        region_containing(found.lon, found.lat, session.scalars(select(Region).order_by(Region.id)))
        if found
        else None
    )
    web_request = WebRequest(
        phone_code_id=row.id,
        fingerprint=print_,
        phone=e164,
        phone_index=phone_index,
        name=form["name"],
        address=form["address"],
        lat=found.lat if found else None,
        lon=found.lon if found else None,
        region_id=region.id if region else None,
        category=form["category"],
        product_model=form.get("product_model"),
        fault_description=form["fault_description"],
        preferred_time=form.get("preferred_time"),
        language=form.get("language") or "zh-CN",
        consent_notice_version=form["notice_version"],
        consent_at=now,
        submitted_at=now,
    )
    return audit.add_created(
        session,
        actor=SYSTEM,
        obj=web_request,
        action="web_request.submitted",
        entity=WebRequest.audit_entity,
        after=web_request.snapshot() | {"region_id": web_request.region_id},
    )


def _replay(session: Session, row: PhoneCode, print_: str) -> Outcome:
    """The same submission again returns the accepted request; other content is refused."""
    earlier = session.scalars(
        select(WebRequest).where(WebRequest.phone_code_id == row.id)
    ).one_or_none()
    if earlier is not None and earlier.fingerprint == print_:
        return Outcome(web_request=earlier)
    return Outcome(problem=Conflict("This code was already used", error_code="code_used"))


def _fingerprint(e164: str, form: dict) -> str:
    content = json.dumps({"phone": e164, **form}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _wrong(message: str, left: int | None) -> RuleViolation:
    details = {"code": ["wrong"]} | ({} if left is None else {"attempts_left": left})
    return RuleViolation(message, error_code="code_wrong", details=details)


def _refusal(error_code: str, why: str) -> DomainError:
    message = why[0].upper() + why[1:]
    if error_code == "code_used":
        return Conflict(message, error_code=error_code)
    if error_code == "code_attempts_exceeded":
        return TooManyRequests(message, error_code=error_code)
    return RuleViolation(message, error_code=error_code, details={"code": [error_code]})
