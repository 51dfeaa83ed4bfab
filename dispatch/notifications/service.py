"""Queue an SMS with the change that causes it; send it from a job, never twice."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import outbox
from dispatch.access import region_clause
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers.models import Customer, Site
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.gateway import NotSent, OutcomeUnknown, SmsGateway
from dispatch.notifications.models import SmsMessage
from dispatch.notifications.rules import Step, next_step
from dispatch.notifications.templates import MARKETING, NON_URGENT, render
from dispatch.privacy import service as privacy
from dispatch.privacy.rules import MARKETING_PURPOSE, SERVICE_PURPOSE
from dispatch.regions.models import Region
from dispatch.regions.rules import into_contact_window
from dispatch.visits.models import Visit

log = logging.getLogger(__name__)


class AttemptInFlight(Exception):
    """Another attempt at this SMS is still within its time; the outbox retries later."""


def queue_sms(
    session: Session,
    *,
    customer: Customer,
    template: str,
    visit_id: int | None = None,
    config: Config | None = None,
    **params,
) -> SmsMessage:
    """Record an SMS as pending; it leaves after commit through the outbox.

    Marketing needs the customer's separate opt-in (PRV-2); the hand-over of phone and text to
    the SMS gateway is recorded as a disclosure (PRV-13). A non-urgent text (a reminder,
    templates.NON_URGENT) waits for the contact window of the visit's region (APT-13): its
    outbox row is due when the window opens; the config gives the window of regions without
    their own.
    """
    run_at = None
    if template in NON_URGENT:
        if config is None:
            raise TypeError(f"queue_sms({template!r}) needs the config: it waits for a window")
        now = utcnow()
        opens = contact_time(session, config, visit_id, now)
        run_at = opens if opens > now else None
    purpose = MARKETING_PURPOSE if template in MARKETING else SERVICE_PURPOSE
    privacy.ensure_may_send(session, customer, purpose)
    message = SmsMessage(
        to_phone=customer.phone,
        template=template,
        language=customer.language,
        body=render(template, customer.language, **params),
        visit_id=visit_id,
    )
    session.add(message)
    session.flush()
    privacy.disclose(session, "sms_gateway", customer_id=customer.id, reference=f"sms:{message.id}")
    outbox.add(session, "sms.send", run_at=run_at, sms_id=message.id)
    return message


def contact_time(session: Session, config: Config, visit_id: int | None, now: datetime):
    """Return `now` inside the contact window of the visit's region, else when it next opens
    (APT-13); without a region, the configured window in the default zone."""
    region = None
    if visit_id is not None:
        region = session.scalar(
            select(Region)
            .join(Site, Site.region_id == Region.id)
            .join(ServiceRequest, ServiceRequest.site_id == Site.id)
            .join(Visit, Visit.request_id == ServiceRequest.id)
            .where(Visit.id == visit_id)
        )
    tz = region.timezone if region is not None else config.default_timezone
    return into_contact_window(now, tz, *contact_window(region, config))


def contact_window(region: Region | None, config: Config) -> tuple[time, time]:
    """Return the local hours non-urgent texts may reach a region's customers (APT-13)."""
    default = (config.contact_window_start, config.contact_window_end)
    return region.contact_window(default) if region is not None else default


def deliver(session: Session, gateway: SmsGateway, sms_id: int, *, send_timeout: float) -> str:
    """Send an SMS once: the attempt is committed before the call, the answer right after it.

    An attempt a crash interrupted is settled by asking the provider first; a text the provider
    received is never sent again.
    """
    sms = session.scalars(select(SmsMessage).where(SmsMessage.id == sms_id).with_for_update()).one()
    now, timeout = utcnow(), timedelta(seconds=send_timeout)
    step = next_step(sms.status, sms.attempted_at, now, send_timeout=timeout)
    if step is Step.SKIP:
        return f"skipped:{sms.status}"
    if step is Step.WAIT:
        raise AttemptInFlight(f"SMS {sms.id} has an attempt in flight since {sms.attempted_at}")
    if step is Step.CHECK and (settled := _settle_interrupted(session, gateway, sms)):
        return settled
    sms.begin_attempt(at=now, client_ref=f"sms-{sms.id}-{uuid.uuid4().hex[:16]}")
    session.commit()  # the attempt is on record before the provider hears of it
    try:
        provider_ref = gateway.send(sms.to_phone, sms.body, client_ref=sms.client_ref)
    except NotSent as exc:
        sms.mark_not_sent(str(exc))
        session.commit()
        raise
    # any other error leaves 'sending': the next attempt asks the provider before resending
    sms.mark_sent(provider_ref=provider_ref, at=utcnow())
    session.commit()
    return "sent"


def _settle_interrupted(session: Session, gateway: SmsGateway, sms: SmsMessage) -> str | None:
    """Ask the provider about an interrupted attempt; return a result, or None to send again."""
    try:
        provider_ref = gateway.look_up(sms.client_ref) if sms.client_ref else None
    except OutcomeUnknown as exc:
        log.error("SMS %s: outcome of an interrupted send unknown; not resent", sms.id)
        sms.mark_uncertain(str(exc))
        return "uncertain"
    if provider_ref is None:
        return None
    sms.mark_sent(provider_ref=provider_ref, at=utcnow())
    return "sent:recovered"


MESSAGE_SORTS = {
    "-id": order((SmsMessage.id, True)),
    "id": order((SmsMessage.id, False)),
    "-created_at": order((SmsMessage.created_at, True), (SmsMessage.id, True)),
    "created_at": order((SmsMessage.created_at, False), (SmsMessage.id, False)),
}


def list_messages(
    session: Session,
    actor: Actor,
    *,
    sort: str = "-id",
    limit: int = 50,
    after: str | None = None,
    status: str | None = None,
    purpose: str | None = None,
    visit_id: int | None = None,
    request_id: int | None = None,
    region_id: int | None = None,
) -> Page:
    """One page of the SMS sent or due (the outbox's texts) of the actor's regions (issue 12).

    A text belongs to the region of its visit's site; a text about no visit (e.g. the intake
    acknowledgement) shows to staff who see every region.
    """
    query = (
        select(SmsMessage)
        .outerjoin(Visit, Visit.id == SmsMessage.visit_id)
        .outerjoin(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .outerjoin(Site, Site.id == ServiceRequest.site_id)
        .where(region_clause(actor, Site.region_id))
    )
    if status:
        query = query.where(SmsMessage.status == status)
    if purpose:
        query = query.where(SmsMessage.template == purpose)
    if visit_id is not None:
        query = query.where(SmsMessage.visit_id == visit_id)
    if request_id is not None:
        query = query.where(Visit.request_id == request_id)
    if region_id is not None:
        query = query.where(Site.region_id == region_id)
    return paginate(session, query, sorts=MESSAGE_SORTS, sort=sort, limit=limit, after=after)
