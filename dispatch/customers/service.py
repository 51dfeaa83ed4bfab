"""Use cases of the customer file."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.customers import rules
from dispatch.customers.geocoding import Geocoder
from dispatch.customers.models import Asset, Customer, Site
from dispatch.errors import NotFound, RuleViolation
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
    """Register a customer with their consent; flag a likely duplicate (INT-8, PRV-1)."""
    phone = phone_or_422(data.pop("phone"), phone_region)
    consent = data.pop("consent")
    customer = Customer(
        phone=phone,
        consent_channel=consent["channel"],
        consent_notice_version=consent["notice_version"],
        consent_at=utcnow(),
        **data,
    )
    twin = session.scalars(
        select(Customer).where(Customer.phone == phone, Customer.name == customer.name)
    ).first()
    if twin is not None:
        customer.possible_duplicate_of_id = twin.id
    audit.add_created(
        session,
        actor=actor,
        obj=customer,
        action="customer.created",
        entity="customer",
        after={"name": customer.name, "phone": phone},
    )
    return customer


def get_customer(session: Session, customer_id: int) -> Customer:
    """Load a customer or raise NotFound."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"Customer {customer_id} not found")
    return customer


def find_by_phone(*, session: Session, phone: str, phone_region: str) -> list[Customer]:
    """Return the customers registered under a phone number (INT-5)."""
    e164 = phone_or_422(phone, phone_region)
    return list(session.scalars(select(Customer).where(Customer.phone == e164)))


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
    customer = get_customer(session, customer_id)
    source = "given"
    if lat is None or lon is None:
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
    customer = get_customer(session, customer_id)
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
