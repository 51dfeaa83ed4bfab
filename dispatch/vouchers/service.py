"""The service voucher's life: issue and fill, sign and countersign (→ archived), edit, void."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import access, audit, numbering, outbox
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
from dispatch.vouchers.models import EDITABLE, ServiceVoucher, VoucherSignature


def get_voucher(session: Session, voucher_id: int, *, actor: Actor) -> ServiceVoucher:
    """Load a voucher the actor may see (the visit's region or technician) or raise NotFound."""
    voucher = session.get(ServiceVoucher, voucher_id)
    if voucher is None:
        raise NotFound(f"Voucher {voucher_id} not found")
    _ensure_visible(actor, voucher)
    return voucher


def _ensure_visible(actor: Actor, voucher: ServiceVoucher) -> None:
    try:
        access.ensure_visit(actor, voucher.visit)
    except NotFound:
        raise NotFound(f"Voucher {voucher.id} not found") from None


def lock_voucher(session: Session, voucher_id: int, *, actor: Actor) -> ServiceVoucher:
    """Load a voucher under a row lock, fresh from the database, or raise NotFound.

    Every change of a voucher goes through here, so two signatures given at the same instant
    are applied one after the other and the second sees the first (it archives).
    """
    voucher = session.scalars(
        select(ServiceVoucher)
        .where(ServiceVoucher.id == voucher_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if voucher is None:
        raise NotFound(f"Voucher {voucher_id} not found")
    _ensure_visible(actor, voucher)
    session.expire(voucher, ["signatures", "amendments"])  # reloaded after the lock is held
    return voucher


def issue_at_dispatch(
    session: Session, *, actor: Actor, visit: Visit, tz: str, at: datetime
) -> ServiceVoucher:
    """Issue the job's voucher when it is dispatched: number, job, customer and service class
    (VCH-1); the technician's app shows it, and completion fills it (VCH-6). Idempotent."""
    if visit.voucher is not None:
        return visit.voucher
    voucher = ServiceVoucher(
        number=numbering.next_number(session, "SV", at, tz),
        visit=visit,
        issued_at=at,
        service_class=visit.request.service_class,
    )
    session.add(voucher)
    session.flush()
    _audit(session, actor, voucher, "voucher.issued", before=None)
    return voucher


def issue(
    session: Session, *, actor: Actor, visit: Visit, tz: str, content: dict, at: datetime
) -> ServiceVoucher:
    """Fill the voucher issued at dispatch with the record of the work (VCH-1, VCH-6); a visit
    that was never dispatched gets its voucher now."""
    voucher = visit.voucher
    if voucher is None:
        voucher = ServiceVoucher(
            number=numbering.next_number(session, "SV", at, tz), visit=visit, issued_at=at
        )
    before = None if voucher.id is None else voucher.snapshot()
    voucher.fill(
        service_class=visit.request.service_class,
        started_at=visit.arrived_at,
        ended_at=visit.completed_at,
        **{name: content.get(name) for name in EDITABLE},
    )
    session.add(voucher)
    session.flush()
    _audit(session, actor, voucher, "voucher.filled" if before else "voucher.issued", before)
    return voucher


def sign(
    session: Session, *, actor: Actor, voucher: ServiceVoucher, role: str, signature: dict
) -> VoucherSignature:
    """Bind a signature to the voucher's current content (VCH-7); archive when both are in."""
    image = signature["image"]
    problem = rules.signature_problem(image)
    if problem:
        raise RuleViolation(
            problem, error_code="bad_signature", details={"signature.image": [problem]}
        )
    voucher = lock_voucher(session, voucher.id, actor=actor)
    before = voucher.snapshot()
    if voucher.has_valid_signature(role):
        raise Conflict(f"The voucher already has a valid {role} signature", error_code="signed")
    voucher.record_signature(role)  # InvalidTransition when archived or void
    stale = voucher.signature_of(role)
    if stale is not None:  # void: the content changed after it was given
        voucher.signatures.remove(stale)
        session.delete(stale)
        session.flush()
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
    _audit(session, actor, voucher, f"voucher.{role}_signed", before=before)
    if voucher.is_archived:  # the customer gets a PDF copy (VCH-10)
        outbox.add(session, "voucher.send_copy", voucher_id=voucher.id)
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
    voucher = get_voucher(session, voucher_id, actor=actor)
    technician = voucher.visit.technician
    if technician is not None and technician.user_id == actor.id:
        raise PermissionDenied("Nobody countersigns their own voucher", error_code="own_work")
    sign(session, actor=actor, voucher=voucher, role="manager", signature=signature)
    return voucher


def edit(session: Session, *, actor: Actor, voucher_id: int, changes: dict) -> ServiceVoucher:
    """Correct a voucher before it is archived; signatures given earlier become void (VCH-7)."""
    voucher = lock_voucher(session, voucher_id, actor=actor)
    voucher.target_of(rules.VoucherEvent.REVISE)  # archived: 409 before the parts are priced
    if "parts" in changes:
        changes = changes | {"parts": parts_catalogue.priced_lines(session, changes["parts"])}
    before = voucher.snapshot()
    old_values = voucher.revise(changes)
    if old_values:
        session.flush()
        _audit(session, actor, voucher, "voucher.edited", before=before | old_values)
    return voucher


def void_for_visit(session: Session, *, actor: Actor, visit_id: int) -> ServiceVoucher | None:
    """Void the unsigned voucher of a cancelled visit; a signed one stays (it is evidence)."""
    query = select(ServiceVoucher.id).where(ServiceVoucher.visit_id == visit_id)
    voucher_id = session.scalar(query)
    if voucher_id is None:
        return None
    voucher = lock_voucher(session, voucher_id, actor=actor)
    if not voucher.can(rules.VoucherEvent.VOID):
        return voucher
    before = voucher.snapshot()
    voucher.void()
    _audit(session, actor, voucher, "voucher.voided", before=before)
    return voucher


def _audit(session, actor: Actor, voucher: ServiceVoucher, action: str, before) -> None:
    """Audit a change of the voucher from its own snapshots."""
    audit.record(
        session,
        actor=actor,
        action=action,
        entity="voucher",
        entity_id=voucher.id,
        before=before,
        after=voucher.snapshot(),
    )


def verification(session: Session, *, config: Config, number: str, code: str) -> dict:
    """Say whether a voucher with this number exists and whether a printed code still matches.

    Without the code (the bare /v/<number> address) nothing can be said about a printed copy.
    """
    voucher = session.scalars(select(ServiceVoucher).where(ServiceVoucher.number == number)).first()
    if voucher is None:
        return {"number": number, "genuine": False}
    return {
        "number": number,
        "genuine": True,
        "code_check": rules.code_verdict(code, voucher.content_hash()),
        "status": voucher.status,
        "archived": voucher.is_archived,
        "service_day": voucher.ended_at.astimezone(
            ZoneInfo(timezone_of(voucher.visit, config))
        ).date(),
        "customer_signed": voucher.has_valid_signature("customer"),
        "countersigned": voucher.has_valid_signature("manager"),
        "amendments": len(voucher.amendments),
    }
