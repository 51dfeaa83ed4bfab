"""Periodic privacy reports: access review (PRV-16) and duplicate / invalid records (PRV-15)."""

from __future__ import annotations

from collections import Counter, defaultdict

from marshmallow import ValidationError
from marshmallow.validate import Email
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dispatch.clock import utcnow
from dispatch.customers import rules as customer_rules
from dispatch.customers.models import Customer
from dispatch.users.models import User

BATCH = 500


def access_review(session: Session) -> dict:
    """Which users hold which roles and regions (PRV-16)."""
    users = list(session.scalars(select(User).order_by(User.role, User.username)))
    return {
        "generated_at": utcnow(),
        "users": [
            {
                "user_id": u.id,
                "username": u.username,
                "role": u.role,
                "region_ids": sorted(u.region_ids or []),
                "active": u.active,
            }
            for u in users
        ],
        "by_role": dict(Counter(u.role for u in users if u.active)),
    }


def problems(customer: Customer) -> list[str]:
    """What is wrong with one customer record (PRV-15)."""
    found = []
    try:
        customer_rules.normalise_phone(customer.phone)
    except customer_rules.InvalidPhone:
        found.append("phone")
    if customer.email:
        try:
            Email()(customer.email)
        except ValidationError:
            found.append("email")
    if not customer.name.strip():
        found.append("name")
    for site in customer.sites:
        if not any(ch.isalpha() for ch in site.address):
            found.append(f"site {site.id} address")
    return found


def data_quality(session: Session) -> dict:
    """Duplicate customers (same phone hash and name) and invalid records (PRV-15)."""
    twins = session.execute(
        select(Customer.phone_index)
        .where(Customer.anonymised_at.is_(None))
        .group_by(Customer.phone_index)
        .having(func.count(Customer.id) > 1)
    ).scalars()
    groups: list[list[int]] = []
    for phone_index in twins:
        by_name: dict[str, list[int]] = defaultdict(list)
        for customer in session.scalars(
            select(Customer).where(Customer.phone_index == phone_index).order_by(Customer.id)
        ):
            by_name[customer.name.strip().casefold()].append(customer.id)
        groups += [ids for ids in by_name.values() if len(ids) > 1]
    invalid = []
    after = 0
    while True:  # in batches: the report decrypts every record
        batch = list(
            session.scalars(
                select(Customer)
                .where(Customer.anonymised_at.is_(None), Customer.id > after)
                .options(selectinload(Customer.sites))
                .order_by(Customer.id)
                .limit(BATCH)
            )
        )
        if not batch:
            break
        for customer in batch:
            if found := problems(customer):
                invalid.append({"customer_id": customer.id, "problems": found})
        after = batch[-1].id
    return {"generated_at": utcnow(), "duplicates": groups, "invalid": invalid}
