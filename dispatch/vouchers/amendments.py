"""Corrections to archived vouchers: the signed content stays, audited amendments sit beside it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import Conflict
from dispatch.vouchers.models import VoucherAmendment
from dispatch.vouchers.service import lock_voucher


def amend(
    session: Session, *, actor: Actor, voucher_id: int, field: str, new_value: str, reason: str
) -> VoucherAmendment:
    """Add a correction to an archived voucher (VCH-10); before archiving, edit it instead."""
    voucher = lock_voucher(session, voucher_id, actor=actor)
    if not voucher.is_archived:
        raise Conflict(
            "Only archived vouchers take amendments; correct this one directly",
            error_code="voucher_not_archived",
        )
    current = voucher.content().get(field)
    amendment = VoucherAmendment(
        voucher=voucher,
        field=field,
        old_value=None if current is None else str(current),
        new_value=new_value,
        reason=reason,
        author_id=actor.id,
        created_at=utcnow(),
    )
    session.add(amendment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="voucher.amended",
        entity="voucher",
        entity_id=voucher.id,
        before={field: amendment.old_value},
        after={field: new_value, "reason": reason, "amendment_id": amendment.id},
    )
    return amendment
