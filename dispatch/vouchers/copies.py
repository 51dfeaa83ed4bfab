"""The customer's PDF copy of an archived voucher, sent as an SMS link (VCH-10)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dispatch.config import Config
from dispatch.errors import NotFound
from dispatch.links import service as links
from dispatch.vouchers.models import ServiceVoucher
from dispatch.vouchers.texts import text_link

# REQUIREMENTS gives no lifetime for this link; a month leaves time to save the copy.
COPY_LINK_LIFETIME = timedelta(days=30)
PURPOSE = "voucher"


def send_copy(session: Session, *, config: Config, voucher_id: int) -> str:
    """Text the customer a link to the PDF of their archived voucher, once."""
    voucher = session.get(ServiceVoucher, voucher_id)
    if voucher is None or not voucher.is_archived:
        return "skipped"
    live = links.live_tokens(session, secret_key=config.secret_key, visit_id=voucher.visit_id)
    if PURPOSE in live:  # a retried job: the customer already has the link
        return "skipped"
    return text_link(
        session,
        config=config,
        voucher=voucher,
        purpose=PURPOSE,
        lifetime=COPY_LINK_LIFETIME,
        template="voucher_copy",
    )


def open_copy(session: Session, *, config: Config, token: str) -> ServiceVoucher:
    """Return the archived voucher a copy link points at (LinkInvalid for a bad link)."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose=PURPOSE)
    voucher = link.visit.voucher
    if voucher is None or not voucher.is_archived:
        raise NotFound("The voucher is not archived yet")
    return voucher
