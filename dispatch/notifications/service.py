"""Queue an SMS with the change that causes it; send it from a job."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import outbox
from dispatch.clock import utcnow
from dispatch.customers.models import Customer
from dispatch.notifications.gateway import SmsGateway
from dispatch.notifications.models import SmsMessage
from dispatch.notifications.templates import render


def queue_sms(
    session: Session, *, customer: Customer, template: str, visit_id: int | None = None, **params
) -> SmsMessage:
    """Record an SMS as pending; it leaves after commit through the outbox."""
    message = SmsMessage(
        to_phone=customer.phone,
        template=template,
        language=customer.language,
        body=render(template, customer.language, **params),
        visit_id=visit_id,
    )
    session.add(message)
    session.flush()
    outbox.add(session, "sms.send", sms_id=message.id)
    return message


def deliver(session: Session, gateway: SmsGateway, sms_id: int) -> str:
    """Send a pending SMS once; a message already sending or sent is never sent again."""
    sms = session.scalars(select(SmsMessage).where(SmsMessage.id == sms_id).with_for_update()).one()
    if sms.status != "pending":
        return f"skipped:{sms.status}"
    sms.status = "sending"
    session.commit()  # from here a crash leaves 'sending', which is never resent blindly
    try:
        sms.provider_ref = gateway.send(sms.to_phone, sms.body)
    except Exception as exc:
        sms.status, sms.error = "pending", str(exc)[:500]
        session.commit()
        raise
    sms.status, sms.sent_at = "sent", utcnow()
    return "sent"
