"""Use cases of the customer file."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch import access, audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.customers import rules
from dispatch.customers.geocoding import Geocoder
from dispatch.customers.models import Asset, Customer, CustomerPhone, Site
from dispatch.errors import NotFound, RuleViolation
from dispatch.privacy import rules as privacy_rules
from dispatch.privacy import search
from dispatch.privacy import service as privacy
from dispatch.regions.models import Region
from dispatch.regions.rules import region_containing


def phone_or_422(raw: str, region: str) -> str:
    """Normalise a phone number or refuse the input naming the field."""
    try:
        return rules.normalise_phone(raw, region)
    except rules.InvalidPhone as exc:
        raise RuleViolation(
            "Invalid phone number", error_code="invalid_phone", details={"phone": [str(exc)]}
        ) from exc


def create_customer(*, session: Session, actor: Actor, phone_region: str, **data) -> Customer:
    """Register a customer with their consent record; flag a likely duplicate (INT-8, PRV-1).

    Marketing is a separate opt-in (PRV-2): `consent.marketing` adds its own record.
    """
    phone = phone_or_422(data.pop("phone"), phone_region)
    consent = data.pop("consent")
    marketing = consent.pop("marketing", False)
    customer = Customer(
        phone=phone,
        phone_index=search.phone_index(phone),
        consent_channel=consent["channel"],
        consent_notice_version=consent["notice_version"],
        consent_at=utcnow(),
        **data,
    )
    twin = next(
        (
            c
            for c in session.scalars(
                select(Customer)
                .where(Customer.phone_index == customer.phone_index)
                .order_by(Customer.id)
            )
            if c.name == customer.name
        ),
        None,
    )
    if twin is not None:
        customer.possible_duplicate_of_id = twin.id
    audit.add_created(
        session,
        actor=actor,
        obj=customer,
        action="customer.created",
        entity="customer",
        after={"fields": ["name", "phone", "email", "notes"], "consent": consent["channel"]},
    )
    privacy.record_consent(session, actor, customer, **consent)
    if marketing:
        privacy.record_consent(
            session,
            actor,
            customer,
            channel=consent["channel"],
            notice_version=consent["notice_version"],
            purposes=[privacy_rules.MARKETING_PURPOSE],
        )
    privacy.reindex(session, customer)
    privacy.log_access(
        session,
        actor,
        customer_ids=[customer.id],
        fields=[k for k in privacy.CUSTOMER_FIELDS if getattr(customer, k) is not None],
        action="create",
        purpose="customer registration",
    )
    return customer


def get_customer(
    session: Session, customer_id: int, *, actor: Actor, purpose: str | None = None
) -> Customer:
    """Load a customer the actor may see (their regions) or raise NotFound; with a purpose the
    read is written to the personal-data access log (PRV-5)."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found")
    access.ensure_customer(actor, customer)
    if purpose:
        privacy.log_access(
            session,
            actor,
            customer_ids=[customer.id],
            fields=privacy.CUSTOMER_FIELDS + ["sites.address"],
            action="read",
            purpose=purpose,
        )
    return customer


def find_by_phone(
    *, session: Session, actor: Actor, phone: str, phone_region: str
) -> list[Customer]:
    """Return the customers of the actor's regions registered under a phone number, main or
    further (INT-5, INT-7), by its keyed hash (PRV-10). A duplicate merged into another
    customer is found as that customer (INT-8)."""
    index = search.phone_index(phone_or_422(phone, phone_region))
    further = select(CustomerPhone.customer_id).where(CustomerPhone.phone_index == index)
    return list(
        session.scalars(
            select(Customer)
            .where(
                or_(Customer.phone_index == index, Customer.id.in_(further)),
                Customer.merged_into_id.is_(None),
                access.customer_clause(actor, Customer.id),
            )
            .order_by(Customer.id)
        )
    )


def add_phone(
    *, session: Session, actor: Actor, phone_region: str, customer_id: int, phone: str, label=None
) -> Customer:
    """Add a further phone to a customer (INT-7); a number already on file is not added twice."""
    customer = get_customer(session, customer_id, actor=actor)
    e164 = phone_or_422(phone, phone_region)
    if e164 != customer.phone and e164 not in {p.phone for p in customer.other_phones}:
        session.add(
            CustomerPhone(
                customer_id=customer.id,
                phone=e164,
                phone_index=search.phone_index(e164),
                label=label,
            )
        )
        session.flush()
        audit.record(  # never the number itself (PRV-10)
            session,
            actor=actor,
            action="customer.phone_added",
            entity="customer",
            entity_id=customer.id,
            after={"label": label},
        )
        session.refresh(customer, ["other_phones"])
    return customer


REVIEW_QUEUE = "review_queue"  # geocoded_by of an address waiting for a dispatcher (DSP-1)


def add_site(
    *,
    session: Session,
    actor: Actor,
    geocoder: Geocoder,
    customer_id: int,
    address: str,
    label: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Site:
    """Add a service address, geocoded unless coordinates are given, placed in its region.

    An address the geocoder cannot place is kept without coordinates or region: it waits in the
    dispatchers' review queue (DSP-1) instead of being refused.
    """
    customer = get_customer(session, customer_id, actor=actor)
    source = "given"
    if lat is None or lon is None:
        privacy.disclose(
            session, "geocoder", customer_id=customer.id, reference=getattr(geocoder, "name", None)
        )
        found = geocoder.geocode(address)
        if found is None:
            lat = lon = None
            source = REVIEW_QUEUE
        else:
            lat, lon, source = found.lat, found.lon, found.source
    region = (
        None
        if lat is None
        else region_containing(lon, lat, session.scalars(select(Region).order_by(Region.id)))
    )
    site = Site(
        customer=customer,
        label=label,
        address=address,
        lat=lat,
        lon=lon,
        geocoded_by=source,
        region_id=region.id if region else None,
    )
    audit.add_created(
        session,
        actor=actor,
        obj=site,
        action="site.created",
        entity="site",
        after={"customer_id": customer.id, "region_id": site.region_id},
    )
    privacy.reindex(session, customer)
    privacy.log_access(
        session,
        actor,
        customer_ids=[customer.id],
        fields=privacy.SITE_FIELDS,
        action="create",
        purpose="service address",
        record="site",
        record_ids=[site.id],
    )
    return site


def check_belongs(session: Session, model, row_id: int | None, customer_id: int, field: str):
    """Refuse a reference to a site or product of another customer, naming the field."""
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None or row.customer_id != customer_id:
        raise RuleViolation(
            "Not a record of this customer",
            error_code="record_mismatch",
            details={field: ["does not belong to the customer"]},
        )


def add_asset(*, session: Session, actor: Actor, customer_id: int, **data) -> Asset:
    """Record a product unit the customer owns."""
    customer = get_customer(session, customer_id, actor=actor)
    check_belongs(session, Site, data.get("site_id"), customer.id, "site_id")
    asset = Asset(customer=customer, **data)
    audit.add_created(
        session,
        actor=actor,
        obj=asset,
        action="asset.created",
        entity="asset",
        after={"model": asset.model, "serial": asset.serial},
    )
    return asset
