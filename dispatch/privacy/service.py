"""Privacy use cases: the access log, consents, search, export, corrections, erasure, retention."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.api.listing import Page, order, paginate
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint
from dispatch.complaints.rules import OPEN_STATES
from dispatch.config import Config, active_config
from dispatch.customers.models import Customer, CustomerPhone, Site
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.privacy import rules, search
from dispatch.privacy.models import (
    AccessLogEntry,
    ConsentRecord,
    CustomerSearchTerm,
    DataChangeRequest,
    Disclosure,
    ErasureRequest,
)

CUSTOMER_FIELDS = ["name", "phone", "email", "notes"]
SITE_FIELDS = ["address", "lat", "lon"]
# Unpaid: finance still has to invoice and collect (payments.models.InvoiceTask); a
# "mail_invoice" task was collected on site and only owes the paper invoice.
UNPAID = "open"
TO_COLLECT = "invoice"


# --- PRV-5: the append-only access log ---------------------------------------------------------


def log_access(
    session: Session,
    actor: Actor,
    *,
    customer_ids: list[int],
    fields: list[str],
    action: str,
    purpose: str,
    record: str = "customer",
    record_ids: list[int | None] | None = None,
) -> None:
    """Write one access-log row per record in one statement (constant query count)."""
    if not customer_ids:
        return
    record_ids = record_ids or list(customer_ids)
    now = utcnow()
    session.execute(
        insert(AccessLogEntry),
        [
            {
                "at": now,
                "actor_kind": actor.kind,
                "actor_id": actor.id,
                "actor_role": actor.role,
                "customer_id": customer_id,
                "record": record,
                "record_id": record_id,
                "fields": fields,
                "action": action,
                "purpose": purpose,
            }
            for customer_id, record_id in zip(customer_ids, record_ids, strict=True)
        ],
    )


def log_read_now(
    actor: Actor,
    *,
    customer_ids: list[int],
    fields: list[str],
    purpose: str,
    record: str,
    record_ids: list[int],
) -> None:
    """Log a read that leaves in a response, whatever becomes of the request's own transaction
    (serialisers call this). In a request the rows are written by `write_pending_reads` once the
    view is done, in one statement; outside one, at once."""
    from flask import g, has_request_context

    from dispatch.db import db

    if not customer_ids:
        return
    entry = {
        "actor": actor,
        "customer_ids": customer_ids,
        "fields": fields,
        "purpose": purpose,
        "record": record,
        "record_ids": record_ids,
    }
    if has_request_context():
        g.setdefault("privacy_reads", []).append(entry)
        return
    with Session(bind=db.engine) as own:
        log_access(own, entry.pop("actor"), action="read", **entry)
        own.commit()


def write_pending_reads(response):
    """After a view: commit the reads it logged. The view's own work is committed by then or
    would be rolled back at teardown anyway, so the rollback first changes nothing for it (and
    frees SQLite's lock)."""
    from flask import g

    from dispatch.db import db

    pending = g.pop("privacy_reads", [])
    if pending:
        session = db.session()
        session.rollback()
        for entry in pending:
            log_access(session, entry.pop("actor"), action="read", **entry)
        session.commit()
    return response


class LogsCustomerReads:
    """Schema mixin: every dump of personal fields writes the access log (PRV-5)."""

    personal_fields: tuple[str, ...] = ()
    access_purpose = "service"
    access_record = "visit"
    # Records not tied to a customer yet (a web-form submission) are logged without one.
    logs_without_customer = False

    @staticmethod
    def customer_id_of(obj) -> int | None:
        raise NotImplementedError

    @staticmethod
    def reader() -> Actor:
        from dispatch.api.base import current_actor

        return current_actor()

    def dump(self, obj, *, many=None):
        result = super().dump(obj, many=many)
        objs = list(obj) if (self.many if many is None else many) else [obj]
        pairs = [(self.customer_id_of(o), o.id) for o in objs]
        pairs = [(c, r) for c, r in pairs if c is not None or self.logs_without_customer]
        log_read_now(
            self.reader(),
            customer_ids=[c for c, _ in pairs],
            fields=list(self.personal_fields),
            purpose=self.access_purpose,
            record=self.access_record,
            record_ids=[r for _, r in pairs],
        )
        return result


def access_log(session: Session, customer_id: int) -> list[AccessLogEntry]:
    return list(
        session.scalars(
            select(AccessLogEntry)
            .where(AccessLogEntry.customer_id == customer_id)
            .order_by(AccessLogEntry.id)
        )
    )


def disclose(
    session: Session, processor: str, *, customer_id: int | None, reference: str | None = None
) -> Disclosure:
    """Record that a processor of the notice received a customer's data (PRV-13)."""
    entry = Disclosure(
        processor=processor,
        customer_id=customer_id,
        fields=list(rules.PROCESSORS[processor]),
        reference=reference,
    )
    session.add(entry)
    return entry


# --- PRV-1 / PRV-2: consents -------------------------------------------------------------------


def record_consent(
    session: Session,
    actor: Actor,
    customer: Customer,
    *,
    channel: str,
    notice_version: str,
    purposes: list[str] | None = None,
    scope: str | None = None,
    manner: str | None = None,
    given: bool = True,
) -> ConsentRecord:
    consent = ConsentRecord(
        customer_id=customer.id,
        purposes=purposes or [rules.SERVICE_PURPOSE],
        scope=scope or rules.DEFAULT_SCOPE,
        manner=manner or rules.DEFAULT_MANNER,
        channel=channel,
        notice_version=notice_version,
        given=given,
        recorded_at=utcnow(),
        recorded_by_kind=actor.kind,
        recorded_by_id=actor.id,
    )
    session.add(consent)
    return consent


def service_consent(session: Session, customer_id: int) -> ConsentRecord | None:
    """The customer's latest consent record for the service purpose (given or withdrawn)."""
    found = [c for c in consents(session, customer_id) if rules.SERVICE_PURPOSE in c.purposes]
    return found[-1] if found else None


def consent_state(session: Session, customer: Customer, *, notice_version: str) -> dict:
    """What the link's consent page shows: the notice's terms and where the customer stands."""
    latest = service_consent(session, customer.id)
    return rules.consent_terms(notice_version) | {
        "consented": bool(latest and latest.given),
        "accepted_this_notice": bool(
            latest
            and latest.given
            and latest.channel == rules.LINK_CHANNEL
            and latest.notice_version == notice_version
        ),
        "recorded_at": latest.recorded_at if latest else None,
        "channel": latest.channel if latest else None,
    }


def accept_by_link(
    session: Session, actor: Actor, customer: Customer, *, shown_version: str, notice_version: str
) -> tuple[ConsentRecord, bool]:
    """The customer accepts the notice they were shown on their link (PRV-1); idempotent:
    accepting the same notice again returns the record made the first time (created False)."""
    if shown_version != notice_version:
        raise Conflict(
            "The privacy notice has changed; please read the new version",
            error_code="notice_changed",
            details={"notice_version": [notice_version]},
        )
    latest = service_consent(session, customer.id)
    if (
        latest is not None
        and latest.given
        and latest.channel == rules.LINK_CHANNEL
        and latest.notice_version == notice_version
    ):
        return latest, False
    terms = rules.consent_terms(notice_version)
    consent = record_consent(
        session,
        actor,
        customer,
        channel=rules.LINK_CHANNEL,
        notice_version=notice_version,
        purposes=terms["purposes"],
        scope=terms["scope"],
        manner=terms["manner"],
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="customer.consented",
        entity="customer",
        entity_id=customer.id,
        after={"channel": rules.LINK_CHANNEL, "notice_version": notice_version},
    )
    return consent, True


def consents(session: Session, customer_id: int) -> list[ConsentRecord]:
    return list(
        session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.customer_id == customer_id)
            .order_by(ConsentRecord.id)
        )
    )


def marketing_allowed(session: Session, customer_id: int) -> bool:
    """Marketing needs its own, latest, unwithdrawn opt-in (PRV-2); service consent is not it."""
    latest = None
    for consent in consents(session, customer_id):
        if rules.MARKETING_PURPOSE in consent.purposes:
            latest = consent
    return bool(latest and latest.given)


def ensure_may_send(session: Session, customer: Customer, purpose: str) -> None:
    """Refuse a marketing message to a customer without a marketing opt-in (PRV-2)."""
    if customer.anonymised_at is not None:
        raise RuleViolation("The customer's data was erased", error_code="customer_erased")
    if purpose == rules.MARKETING_PURPOSE and not marketing_allowed(session, customer.id):
        raise RuleViolation(
            "No marketing without the customer's separate opt-in",
            error_code="marketing_not_consented",
        )


# --- PRV-10: blind indexes ---------------------------------------------------------------------


def reindex(session: Session, customer: Customer) -> None:
    """Replace a customer's blind-index terms with those of its current data."""
    session.execute(delete(CustomerSearchTerm).where(CustomerSearchTerm.customer_id == customer.id))
    customer.phone_index = search.phone_index(customer.phone)
    if customer.anonymised_at is not None:
        return
    addresses = list(session.scalars(select(Site.address).where(Site.customer_id == customer.id)))
    terms = search.customer_terms(customer.name, customer.phone, addresses)
    if terms:
        session.execute(
            insert(CustomerSearchTerm),
            [{"customer_id": customer.id, "term": term} for term in sorted(terms)],
        )


def ensure_visible(session: Session, actor: Actor, customer_id: int) -> Customer:
    """Load a customer the actor may see (404 otherwise, never revealing existence)."""
    customer = session.scalars(
        select(Customer).where(
            Customer.id == customer_id, access.customer_clause(actor, Customer.id)
        )
    ).first()
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found")
    return customer


def get_visible_to_link(session: Session, customer_id: int) -> Customer:
    """The customer behind a live link (refused once their data is erased)."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.anonymised_at is not None:
        raise NotFound("Nothing is kept about you any more")
    return customer


CUSTOMER_SORTS = {"id": order((Customer.id, False)), "-id": order((Customer.id, True))}


def search_customers(
    session: Session,
    actor: Actor,
    *,
    phone_e164: str | None = None,
    phone_prefix: str | None = None,
    name: str | None = None,
    address: str | None = None,
    region_id: int | None = None,
    sort: str = "id",
    after: str | None = None,
    limit: int = 50,
    purpose: str = "customer search",
) -> Page:
    """One page of the customers the actor may see, matched through blind indexes (PRV-10).

    Keyset pagination (the lists' one page shape, issue 12); sites, products and further
    phones are eager-loaded; one access-log statement.
    """
    terms: set[str] = set()
    if phone_prefix is not None:
        found = search.phone_prefix_terms(phone_prefix)
        if found is None:
            raise RuleViolation(
                "Give at least 3 digits of the phone number",
                error_code="query_too_short",
                details={"phone_prefix": ["at least 3 digits"]},
            )
        terms |= found
    if name:
        terms |= search.name_terms(name)
    if address:
        found = search.address_terms(address)
        if found is None:
            raise RuleViolation(
                "Give at least 2 characters of the address",
                error_code="query_too_short",
                details={"address": ["at least 2 characters"]},
            )
        terms |= found
    query = select(Customer).where(
        access.customer_clause(actor, Customer.id),
        Customer.anonymised_at.is_(None),
        Customer.merged_into_id.is_(None),  # a merged duplicate is found as the kept one (INT-8)
    )
    if phone_e164 is not None:  # the main number or a further one (INT-7)
        index = search.phone_index(phone_e164)
        further = select(CustomerPhone.customer_id).where(CustomerPhone.phone_index == index)
        query = query.where(or_(Customer.phone_index == index, Customer.id.in_(further)))
    if terms:
        matching = (
            select(CustomerSearchTerm.customer_id)
            .where(CustomerSearchTerm.term.in_(sorted(terms)))
            .group_by(CustomerSearchTerm.customer_id)
            .having(func.count(func.distinct(CustomerSearchTerm.term)) == len(terms))
        )
        query = query.where(Customer.id.in_(matching))
    if region_id is not None:
        query = query.where(
            exists(
                select(Site.id).where(Site.customer_id == Customer.id, Site.region_id == region_id)
            )
        )
    page = paginate(
        session,
        query.options(
            selectinload(Customer.sites),
            selectinload(Customer.assets),
            selectinload(Customer.other_phones),
        ),
        sorts=CUSTOMER_SORTS,
        sort=sort,
        limit=limit,
        after=after,
    )
    log_access(
        session,
        actor,
        customer_ids=[c.id for c in page.items],
        fields=CUSTOMER_FIELDS + ["sites.address"],
        action="read",
        purpose=purpose,
    )
    return page


# --- PRV-7 / PRV-8: view, export, correct ------------------------------------------------------


def export_data(session: Session, actor: Actor, customer: Customer, *, via: str) -> dict:
    """Everything kept about a customer, as JSON-ready data (PRV-7)."""
    from dispatch.visits.models import Visit

    requests = list(
        session.scalars(
            select(ServiceRequest)
            .where(ServiceRequest.customer_id == customer.id)
            .order_by(ServiceRequest.id)
        )
    )
    visits = (
        list(
            session.scalars(
                select(Visit)
                .where(Visit.request_id.in_([r.id for r in requests]))
                .order_by(Visit.id)
            )
        )
        if requests
        else []
    )
    log_access(
        session,
        actor,
        customer_ids=[customer.id],
        fields=CUSTOMER_FIELDS + ["sites", "assets", "requests", "consents"],
        action="export",
        purpose=f"data subject access ({via})",
    )
    return {
        "customer": {
            "id": customer.id,
            "name": customer.name,
            "phone": customer.phone,
            "email": customer.email,
            "language": customer.language,
            "tier": customer.tier,
            "created_at": customer.created_at.isoformat(),
        },
        "sites": [
            {"id": s.id, "label": s.label, "address": s.address, "lat": s.lat, "lon": s.lon}
            for s in customer.sites
        ],
        "assets": [
            {"id": a.id, "model": a.model, "serial": a.serial, "purchase_place": a.purchase_place}
            for a in customer.assets
        ],
        "consents": [
            {
                "purposes": c.purposes,
                "scope": c.scope,
                "manner": c.manner,
                "channel": c.channel,
                "notice_version": c.notice_version,
                "given": c.given,
                "recorded_at": c.recorded_at.isoformat(),
            }
            for c in consents(session, customer.id)
        ],
        "requests": [
            {
                "number": r.number,
                "request_type": r.request_type,
                "status": r.status,
                "registered_at": r.registered_at.isoformat(),
                "fault_description": r.fault_description,
            }
            for r in requests
        ],
        "visits": [{"number": v.number, "status": v.status} for v in visits],
        "processors": {name: list(fields) for name, fields in rules.PROCESSORS.items()},
    }


def request_change(
    session: Session,
    actor: Actor,
    customer: Customer,
    *,
    field: str,
    value: str,
    via: str,
    site_id: int | None = None,
    phone_region: str = "CN",
) -> DataChangeRequest:
    """Record a correction; name and e-mail apply at once (PRV-7), phone and address wait for
    staff approval before replacing the old value (PRV-8)."""
    from dispatch.customers.service import phone_or_422

    if field == "phone":
        value = phone_or_422(value, phone_region)
    if field == "address":
        site_id = site_id or (customer.sites[0].id if customer.sites else None)
        if site_id is None or all(s.id != site_id for s in customer.sites):
            raise RuleViolation(
                "Not a site of this customer",
                error_code="record_mismatch",
                details={"site_id": ["does not belong to the customer"]},
            )
    change = DataChangeRequest(
        customer_id=customer.id, field=field, site_id=site_id, new_value=value, via=via
    )
    session.add(change)
    session.flush()
    log_access(
        session,
        actor,
        customer_ids=[customer.id],
        fields=[field],
        action="correct",
        purpose=f"correction requested ({via})",
        record="data_change_request",
        record_ids=[change.id],
    )
    if field not in rules.APPROVAL_FIELDS:
        _apply(session, actor, customer, change)
    return change


def decide_change(
    session: Session, actor: Actor, change_id: int, *, approve: bool
) -> DataChangeRequest:
    """Staff approve or reject a pending phone or address change (PRV-8)."""
    change = session.get(DataChangeRequest, change_id)
    if change is None:
        raise NotFound(f"Change request {change_id} not found")
    customer = ensure_visible(session, actor, change.customer_id)
    if not approve:
        change.decide(False, by_id=actor.id, at=utcnow())
        change.forget_value()
    else:
        _apply(session, actor, customer, change)
    log_access(
        session,
        actor,
        customer_ids=[customer.id],
        fields=[change.field],
        action="update" if approve else "reject",
        purpose="correction decided",
        record="data_change_request",
        record_ids=[change.id],
    )
    return change


def _apply(session: Session, actor: Actor, customer: Customer, change: DataChangeRequest) -> None:
    change.decide(True, by_id=actor.id if actor.kind == "user" else None, at=utcnow())
    if change.field == "address":
        site = session.get(Site, change.site_id)
        site.address = change.new_value
    else:
        setattr(customer, change.field, change.new_value)
    change.forget_value()  # the value now lives in the record it corrected
    session.flush()
    reindex(session, customer)
    audit.record(
        session,
        actor=actor,
        action="customer.corrected",
        entity="customer",
        entity_id=customer.id,
        after={"field": change.field, "change_request_id": change.id},
    )


def pending_changes(session: Session, actor: Actor) -> list[DataChangeRequest]:
    return list(
        session.scalars(
            select(DataChangeRequest)
            .join(Customer, Customer.id == DataChangeRequest.customer_id)
            .where(
                access.customer_clause(actor, Customer.id),
                DataChangeRequest.status == rules.ChangeStatus.PENDING,
            )
            .order_by(DataChangeRequest.id)
        )
    )


# --- PRV-9: erasure and retention ---------------------------------------------------------------


def hold_reason(session: Session, customer_id: int) -> str | None:
    """Why a customer's data must be kept for now: an open complaint or an unpaid charge."""
    from dispatch.payments.models import InvoiceTask
    from dispatch.visits.models import Visit
    from dispatch.vouchers.models import ServiceVoucher

    open_complaint = session.scalar(
        select(Complaint.number).where(
            Complaint.customer_id == customer_id, Complaint.status.in_(OPEN_STATES)
        )
    )
    if open_complaint:
        return f"open complaint {open_complaint}"
    unpaid = session.scalar(
        select(ServiceVoucher.number)
        .join(InvoiceTask, InvoiceTask.voucher_id == ServiceVoucher.id)
        .join(Visit, Visit.id == ServiceVoucher.visit_id)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(
            ServiceRequest.customer_id == customer_id,
            InvoiceTask.status == UNPAID,
            InvoiceTask.kind == TO_COLLECT,
        )
    )
    if unpaid:
        return f"unpaid charge on voucher {unpaid}"
    return None


def request_erasure(
    session: Session, actor: Actor, customer: Customer, *, via: str, cause: str = "request"
) -> ErasureRequest:
    """Record a deletion request and carry it out now unless something holds it back."""
    request = session.scalars(
        select(ErasureRequest).where(
            ErasureRequest.customer_id == customer.id,
            ErasureRequest.status != rules.ErasureStatus.DONE,
        )
    ).first()
    if request is None:
        request = ErasureRequest(customer_id=customer.id, cause=cause, via=via)
        session.add(request)
        session.flush()
    carry_out(session, actor, request)
    return request


def carry_out(
    session: Session, actor: Actor, request: ErasureRequest, config: Config | None = None
):
    """Anonymise now, or hold back with the reason logged and the next try due (PRV-9)."""
    config = config or active_config()
    reason = hold_reason(session, request.customer_id)
    if reason:
        first_or_new_reason = request.status != rules.ErasureStatus.HELD or (
            request.held_reason != reason
        )
        request.hold(reason, retry_at=utcnow() + timedelta(hours=config.erasure_retry_hours))
        if first_or_new_reason:
            audit.record(
                session,
                actor=actor,
                action="customer.erasure_held",
                entity="customer",
                entity_id=request.customer_id,
                after={"reason": reason, "erasure_request_id": request.id},
            )
        return request
    from dispatch.privacy.erasure import anonymise

    anonymise(session, actor, request.customer_id, config=config)
    request.finish(utcnow())
    return request


def held_due(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Held-back erasures whose next try is due (the worker's sweep re-drives them, PRV-9)."""
    return list(
        session.scalars(
            select(ErasureRequest.id)
            .where(
                ErasureRequest.status == rules.ErasureStatus.HELD,
                # held before retry_at existed (migration 0020): due at once
                or_(ErasureRequest.retry_at <= now, ErasureRequest.retry_at.is_(None)),
            )
            .order_by(ErasureRequest.id)
            .limit(200)
        )
    )


def retry_held(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Try a held-back erasure again: anonymise once nothing holds it, else hold it anew."""
    from dispatch.actors import SYSTEM

    request = session.get(ErasureRequest, item_id, with_for_update=True)
    if request is None or request.status != rules.ErasureStatus.HELD:
        return "skipped"
    return carry_out(session, SYSTEM, request, config).status


def retention_due(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Customers without activity for RETENTION_DAYS and not yet anonymised (PRV-9)."""
    cutoff = now - timedelta(days=config.retention_days)
    recent_request = select(ServiceRequest.id).where(
        ServiceRequest.customer_id == Customer.id,
        or_(ServiceRequest.registered_at >= cutoff, ServiceRequest.closed_at >= cutoff),
    )
    return list(
        session.scalars(
            select(Customer.id)
            .where(
                Customer.anonymised_at.is_(None),
                Customer.updated_at < cutoff,
                ~exists(recent_request),
                ~exists(  # a held request is retried when its retry_at is due (held_due)
                    select(ErasureRequest.id).where(
                        ErasureRequest.customer_id == Customer.id,
                        ErasureRequest.status == rules.ErasureStatus.HELD,
                    )
                ),
            )
            .order_by(Customer.id)
            .limit(200)
        )
    )


def retention_erase(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """The retention job for one customer: anonymise, or hold with the reason logged."""
    from dispatch.actors import SYSTEM

    customer = session.get(Customer, item_id)
    request = request_erasure(session, SYSTEM, customer, via="system", cause="retention")
    return request.status


def held_requests(session: Session) -> list[ErasureRequest]:
    return list(
        session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.status == rules.ErasureStatus.HELD)
            .order_by(ErasureRequest.id)
        )
    )


def touch(session: Session, customer_id: int) -> None:
    """Mark activity on a customer (retention counts from the last one)."""
    session.execute(update(Customer).where(Customer.id == customer_id).values(updated_at=utcnow()))
