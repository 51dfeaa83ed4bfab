"""Irreversible anonymisation of one customer (PRV-9).

Personal fields are overwritten (the ciphertext of the old value is gone with them, so no key
brings it back), search terms deleted, the customer's signature images and the visit photos
deleted (rows and files), SMS copies and cached phone answers naming the customer erased,
customer-written free text cleared, and the customer's data found in their complaints' free text
replaced (dispatch.complaints.erasure). Requests, visits and vouchers stay for statistics: numbers,
states, times, classes, fees and ratings.
"""

from __future__ import annotations

import json

from sqlalchemy import String as SqlString
from sqlalchemy import cast, delete, or_, select, update
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.audit import AuditEntry
from dispatch.clock import utcnow
from dispatch.complaints import erasure as complaint_text
from dispatch.config import Config, active_config
from dispatch.customers.models import Customer, CustomerPhone
from dispatch.intake.models import ServiceRequest
from dispatch.privacy import rules
from dispatch.privacy.models import CustomerSearchTerm, DataChangeRequest

ERASED = rules.ANONYMISED_NAME


def _scrubbed(value, plain: set[str]):
    """The value with every string naming the customer replaced (recursively in JSON)."""
    if isinstance(value, dict):
        return {k: _scrubbed(v, plain) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, plain) for v in value]
    if isinstance(value, str) and any(p and p in value for p in plain):
        return ERASED
    return value


def _scrub_audit(session: Session, stored_forms: set[str], plain: set[str]) -> None:
    """Audit rows keep who did what and when; values that name the customer are erased."""
    sides = (AuditEntry.after, AuditEntry.before)
    for entry in session.scalars(
        select(AuditEntry).where(
            or_(
                *(
                    cast(side, SqlString).contains(t, autoescape=True)
                    for side in sides
                    for t in stored_forms
                    if t
                )
            )
        )
    ):
        entry.after = _scrubbed(entry.after, plain)
        entry.before = _scrubbed(entry.before, plain)


def _forget_opinions(session: Session, customer_id: int) -> None:
    """The customer's opinions and the replies to them are free text about them (FUP-8/11)."""
    from dispatch.opinions.models import Opinion, OpinionReply

    mine = select(Opinion.id).where(Opinion.customer_id == customer_id)
    session.execute(
        update(Opinion)
        .where(Opinion.customer_id == customer_id)
        .values(text=ERASED, close_note=None)
    )
    session.execute(
        update(OpinionReply).where(OpinionReply.opinion_id.in_(mine)).values(text=ERASED)
    )


def _forget_web_requests(session: Session, phone_indexes: set[str], plain: set[str]) -> None:
    """Web-form submissions from the customer's phones (INT-15): registered ones were cleared
    when they became requests; waiting ones lose their personal fields and mentions of them and
    can no longer be registered."""
    from dispatch.webform.models import WebRequest

    for web_request in session.scalars(
        select(WebRequest).where(WebRequest.phone_index.in_(phone_indexes))
    ):
        web_request.erase(lambda text: rules.scrub_text(text, plain))


def anonymise(session: Session, actor: Actor, customer_id: int, *, config: Config | None = None):
    from dispatch.followups.models import FollowUp
    from dispatch.idempotency import IdempotentResponse
    from dispatch.notifications.models import SmsMessage
    from dispatch.photos.models import Photo
    from dispatch.photos.storage import storage_for
    from dispatch.privacy import search, service
    from dispatch.visits.models import Visit, VisitFieldRecord
    from dispatch.vouchers.models import ServiceVoucher, VoucherSignature

    config = config or active_config()
    customer = session.get(Customer, customer_id)
    old_phone, old_name = customer.phone, customer.name
    old_addresses = [s.address for s in customer.sites]
    old_phone_indexes = {customer.phone_index} | set(
        session.scalars(
            select(CustomerPhone.phone_index).where(CustomerPhone.customer_id == customer_id)
        )
    )
    request_ids = select(ServiceRequest.id).where(ServiceRequest.customer_id == customer_id)
    visit_ids = list(session.scalars(select(Visit.id).where(Visit.request_id.in_(request_ids))))

    customer.name = ERASED
    customer.phone = ERASED
    customer.email = None
    customer.notes = None
    customer.anonymised_at = utcnow()
    customer.phone_index = search.phone_index(f"erased:{customer.id}")
    for site in customer.sites:
        site.address, site.label, site.lat, site.lon = ERASED, None, None, None
    session.execute(delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id))
    session.execute(delete(CustomerSearchTerm).where(CustomerSearchTerm.customer_id == customer_id))
    for change in session.scalars(
        select(DataChangeRequest).where(DataChangeRequest.customer_id == customer_id)
    ):
        change.forget_value()

    if visit_ids:
        voucher_ids = select(ServiceVoucher.id).where(ServiceVoucher.visit_id.in_(visit_ids))
        for signature in session.scalars(
            select(VoucherSignature).where(
                VoucherSignature.voucher_id.in_(voucher_ids), VoucherSignature.role == "customer"
            )
        ):
            signature.signer_name, signature.image_png = ERASED, b""
            signature.lat = signature.lon = None
        storage = storage_for(config)
        for photo in session.scalars(select(Photo).where(Photo.visit_id.in_(visit_ids))):
            storage.discard(photo.storage_key)
            session.delete(photo)
        session.execute(update(Visit).where(Visit.id.in_(visit_ids)).values(rating_comment=None))
        session.execute(
            update(VisitFieldRecord)
            .where(VisitFieldRecord.visit_id.in_(visit_ids))
            .values(estimate_accepted_by=None)
        )
        session.execute(
            update(FollowUp).where(FollowUp.visit_id.in_(visit_ids)).values(comment=None)
        )
    _forget_opinions(session, customer_id)
    _forget_web_requests(
        session,
        old_phone_indexes,
        {old_name, *old_name.split(), *rules.phone_forms(old_phone), *old_addresses},
    )
    sms_match = [SmsMessage.to_phone == old_phone]
    if visit_ids:
        sms_match.append(SmsMessage.visit_id.in_(visit_ids))
    session.execute(update(SmsMessage).where(or_(*sms_match)).values(to_phone="", body=ERASED))
    # Phones' cached answers (idempotent replays) may hold the visit card with name and phone.
    texts = {old_phone, old_name, *old_addresses}
    texts |= {json.dumps(t)[1:-1] for t in list(texts)}  # as stored in JSON (\u escapes)
    session.execute(
        delete(IdempotentResponse).where(
            or_(
                *(
                    cast(IdempotentResponse.body, SqlString).contains(t, autoescape=True)
                    for t in texts
                    if t
                )
            )
        )
    )
    _scrub_audit(session, texts, {old_phone, old_name, *old_addresses})
    complaint_text.scrub_customer(
        session,
        customer_id,
        {old_name, *old_name.split(), *rules.phone_forms(old_phone), *old_addresses},
    )
    session.flush()
    service.log_access(
        session,
        actor,
        customer_ids=[customer_id],
        fields=service.CUSTOMER_FIELDS + ["sites.address", "signatures", "photos"],
        action="erase",
        purpose="erasure (PRV-9)",
    )
    audit.record(
        session,
        actor=actor,
        action="customer.anonymised",
        entity="customer",
        entity_id=customer_id,
        after={"visits_kept": len(visit_ids)},
    )
    return customer
