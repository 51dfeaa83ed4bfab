"""Texting the customer a link about their voucher (signing it, or its PDF copy)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.links import service as links
from dispatch.notifications.service import queue_sms
from dispatch.vouchers.models import ServiceVoucher


def text_link(
    session: Session,
    *,
    config: Config,
    voucher: ServiceVoucher,
    purpose: str,
    lifetime: timedelta,
    template: str,
) -> str:
    """Issue a single-purpose link for the voucher's visit and queue the SMS carrying it."""
    visit = voucher.visit
    token = links.issue(
        session,
        secret_key=config.secret_key,
        purpose=purpose,
        visit=visit,
        expires_at=utcnow() + lifetime,
    )
    queue_sms(
        session,
        customer=visit.request.customer,
        template=template,
        visit_id=visit.id,
        number=voucher.number,
        link=links.page_url(config.public_base_url, token),
    )
    return "sent"
