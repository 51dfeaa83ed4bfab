"""The service voucher's life: issue, customer signature and countersignature, archive."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit, numbering, outbox
from dispatch.actors import Actor
from dispatch.alerts.service import alert_role
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from dispatch.parts import service as parts_catalogue
from dispatch.visits.fieldwork_rules import NO_SIGNATURE_REASONS
from dispatch.visits.models import Visit
from dispatch.visits.service import timezone_of
from dispatch.vouchers import rules
from dispatch.vouchers.models import ServiceVoucher, VoucherSignature

EDITABLE = ("service_content", "parts", "labour_minutes", "fee_cents")


def get_voucher(session: Session, voucher_id: int) -> ServiceVoucher:
    """Load a voucher or raise NotFound."""
    voucher = session.get(ServiceVoucher, voucher_id)
    if voucher is None:
        raise NotFound(f"Voucher {voucher_id} not found")
    return voucher


def issue(
    session: Session, *, actor: Actor, visit: Visit, tz: str, content: dict, at: datetime
) -> ServiceVoucher:
    """Issue the voucher of a completed visit (VCH-1, VCH-6)."""
    voucher = ServiceVoucher(
        number=numbering.next_number(session, "SV", at, tz),
        visit=visit,
        service_class=visit.request.service_class,
        started_at=visit.arrived_at,
        ended_at=visit.completed_at,
        issued_at=at,
        **{name: content[name] for name in EDITABLE},
    )
    return audit.add_created(
        session,
        actor=actor,
        obj=voucher,
        action="voucher.issued",
        entity="voucher",
        after={"number": voucher.number, "content_hash": voucher.content_hash()},
    )


def sign(
    session: Session, *, actor: Actor, voucher: ServiceVoucher, role: str, signature: dict
) -> VoucherSignature:
    """Bind a signature to the voucher's current content (VCH-7); archive when both are in."""
    _check_open(voucher)
    problem = rules.signature_problem(signature["image"])
    if problem:
        raise RuleViolation(
            problem, error_code="bad_signature", details={"signature.image": [problem]}
        )
    if voucher.has_valid_signature(role):
        raise Conflict(f"The voucher already has a valid {role} signature", error_code="signed")
    stale = voucher.signature_of(role)
    if stale is not None:  # void: the content changed after it was given
        voucher.signatures.remove(stale)
        session.delete(stale)
        session.flush()
    image = signature["image"]
    row = VoucherSignature(
        voucher=voucher,
        role=role,
        signer_name=signature["signer_name"],
        image_png=image,
        image_sha256=hashlib.sha256(image).hexdigest(),
        content_hash=voucher.content_hash(),
        signed_at=signature.get("signed_at") or utcnow(),
        lat=signature.get("lat"),
        lon=signature.get("lon"),
    )
    session.add(row)
    session.flush()
    _settle_status(session, actor, voucher, f"voucher.{role}_signed")
    return row


def leave_unsigned(
    session: Session, *, actor: Actor, voucher: ServiceVoucher, reason=None, note=None
) -> None:
    """Record why the customer did not sign on site; the manager is flagged (VCH-8)."""
    if reason not in NO_SIGNATURE_REASONS:
        raise RuleViolation(
            "A completed visit needs the customer's signature or the reason it is missing",
            error_code="signature_required",
            details={"signature": ["required unless no_signature.reason is given"]},
        )
    voucher.unsigned_reason, voucher.unsigned_note = reason, note
    voucher.visit.needs_manager_review = True
    if reason == "customer_absent":  # they sign later from an SMS link (VCH-8)
        outbox.add(session, "voucher.sign_request", voucher_id=voucher.id)
    site = voucher.visit.request.site
    alert_role(
        session,
        "manager",
        site.region_id if site else None,
        kind="voucher_unsigned",
        message=f"Voucher {voucher.number} has no customer signature: {reason}",
    )
    audit.record(
        session,
        actor=actor,
        action="voucher.left_unsigned",
        entity="voucher",
        entity_id=voucher.id,
        after={"reason": reason, "note": note},
    )


def countersign(
    session: Session, *, actor: Actor, voucher_id: int, signature: dict
) -> ServiceVoucher:
    """Countersign (核签) as a manager, before or after the customer (C5, VCH-9, ROL-5)."""
    voucher = get_voucher(session, voucher_id)
    technician = voucher.visit.technician
    if technician is not None and technician.user_id == actor.id:
        raise PermissionDenied("Nobody countersigns their own voucher", error_code="own_work")
    sign(session, actor=actor, voucher=voucher, role="manager", signature=signature)
    return voucher


def edit(session: Session, *, actor: Actor, voucher_id: int, changes: dict) -> ServiceVoucher:
    """Correct a voucher before it is archived; signatures given earlier become void."""
    voucher = get_voucher(session, voucher_id)
    _check_open(voucher)
    if "parts" in changes:
        changes = changes | {"parts": parts_catalogue.priced_lines(session, changes["parts"])}
    before = {name: getattr(voucher, name) for name in changes if name in EDITABLE}
    for name in before:
        setattr(voucher, name, changes[name])
    session.flush()
    _settle_status(session, actor, voucher, "voucher.edited", before=before)
    return voucher


def _check_open(voucher: ServiceVoucher) -> None:
    if voucher.archived:
        raise Conflict(
            "The voucher is archived and read-only; add an amendment instead",
            error_code="voucher_archived",
        )


def _settle_status(session, actor, voucher: ServiceVoucher, action: str, before=None) -> None:
    """Derive the status from the valid signatures and audit the change."""
    valid = {role for role in ("customer", "manager") if voucher.has_valid_signature(role)}
    old = voucher.status
    voucher.status = rules.voucher_status(valid)
    if voucher.status == "archived":
        voucher.archived_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="voucher",
        entity_id=voucher.id,
        before={"status": old, **(before or {})},
        after={"status": voucher.status, "content_hash": voucher.content_hash()},
    )


def verification(session: Session, *, config: Config, number: str, hash_prefix: str) -> dict:
    """Say whether a voucher with this number exists and still has the content the QR vouches."""
    voucher = session.scalars(select(ServiceVoucher).where(ServiceVoucher.number == number)).first()
    if voucher is None:
        return {"number": number, "genuine": False}
    return {
        "number": number,
        "genuine": True,
        "unchanged": bool(hash_prefix) and voucher.content_hash().startswith(hash_prefix),
        "status": voucher.status,
        "service_day": voucher.ended_at.astimezone(
            ZoneInfo(timezone_of(voucher.visit, config))
        ).date(),
        "customer_signed": voucher.has_valid_signature("customer"),
        "countersigned": voucher.has_valid_signature("manager"),
        "amendments": len(voucher.amendments),
    }
