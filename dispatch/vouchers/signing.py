"""Signing a voucher later, from an SMS link, when the customer was not there (VCH-8)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from dispatch.actors import customer_actor
from dispatch.config import Config
from dispatch.links import service as links
from dispatch.vouchers import service as vouchers
from dispatch.vouchers.models import ServiceVoucher
from dispatch.vouchers.rules import VoucherEvent
from dispatch.vouchers.texts import text_link

SIGN_LINK_LIFETIME = timedelta(hours=72)  # REQUIREMENTS: voucher-signing link, 72 h


def send_request(session: Session, *, config: Config, voucher_id: int) -> str:
    """Text the customer a link to read and sign the voucher, once."""
    voucher = session.get(ServiceVoucher, voucher_id)
    if voucher is None or not voucher.can(VoucherEvent.CUSTOMER_SIGNS):
        return "skipped"  # gone, void, archived or already signed by the customer
    return text_link(
        session,
        config=config,
        voucher=voucher,
        purpose="sign",
        lifetime=SIGN_LINK_LIFETIME,
        template="voucher_sign_request",
    )


def sign_by_link(
    session: Session, *, config: Config, token: str, signer_name: str, image: bytes
) -> ServiceVoucher:
    """Bind the customer's signature from the link page; the link then stops working."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose="sign")
    voucher = link.visit.voucher
    vouchers.sign(
        session,
        actor=customer_actor(link.customer_id),
        voucher=voucher,
        role="customer",
        signature={"signer_name": signer_name, "image": image},
    )
    link.visit.needs_manager_review = False
    links.revoke_for_visit(session, link.visit_id, "sign")
    return voucher
