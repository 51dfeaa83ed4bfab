"""Issue the service voucher at completion, with the customer's signature bound to it."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from dispatch import audit, numbering
from dispatch.actors import Actor
from dispatch.errors import RuleViolation
from dispatch.visits.models import Visit
from dispatch.vouchers import rules
from dispatch.vouchers.models import ServiceVoucher, VoucherSignature


def issue_signed(
    session: Session,
    *,
    actor: Actor,
    visit: Visit,
    tz: str,
    service_content: str,
    parts: list,
    labour_minutes: int,
    fee_cents: int,
    signature: dict,
    at: datetime,
) -> ServiceVoucher:
    """Issue the voucher of a completed visit and attach the customer's signature to it."""
    problem = rules.signature_problem(signature["image"])
    if problem:
        raise RuleViolation(
            problem, error_code="bad_signature", details={"signature.image": [problem]}
        )
    voucher = ServiceVoucher(
        number=numbering.next_number(session, "SV", at, tz),
        visit=visit,
        service_class=visit.request.service_class,
        started_at=visit.arrived_at,
        ended_at=visit.completed_at,
        service_content=service_content,
        parts=parts,
        labour_minutes=labour_minutes,
        fee_cents=fee_cents,
        issued_at=at,
    )
    session.add(voucher)
    session.flush()
    image = signature["image"]
    session.add(
        VoucherSignature(
            voucher=voucher,
            role="customer",
            signer_name=signature["signer_name"],
            image_png=image,
            image_sha256=hashlib.sha256(image).hexdigest(),
            content_hash=voucher.content_hash(),
            signed_at=signature.get("signed_at") or at,
            lat=signature.get("lat"),
            lon=signature.get("lon"),
        )
    )
    voucher.status = "customer_signed"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="voucher.customer_signed",
        entity="voucher",
        entity_id=voucher.id,
        after={"number": voucher.number, "content_hash": voucher.content_hash()},
    )
    return voucher
