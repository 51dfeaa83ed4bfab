"""A class-A visit's quote: drafted on site from the fee table, accepted by the customer before
work starts, and the charges added while working (VCH-3, VCH-15)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.audit import audited, record
from dispatch.clock import utcnow
from dispatch.errors import Conflict, NotFound, RuleViolation
from dispatch.payments import rules as fee_rules
from dispatch.quotes import rules, warranty
from dispatch.quotes.fees import items_in_force
from dispatch.quotes.models import Charge, Quote
from dispatch.visits.models import Visit
from dispatch.visits.service import checked_device_time, get_for_technician, get_visit


def draft(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    device_time: datetime,
    findings: str,
    fault_cause: str,
    repair_method: str,
    warranty_status: str,
    warranty_basis: str,
    minutes: int,
    charges: list[dict],
) -> Visit:
    """Write (or rewrite, until accepted) the quote of a class-A visit on site (VCH-3)."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    if visit.request.service_class != fee_rules.CHARGED_CLASS:
        raise Conflict("Only class-A work has a quote", error_code="not_class_a")
    if not visit.at_site:
        raise Conflict(f"Visit is {visit.status}; a quote is made on site before work")
    quote = visit.quote or Quote(
        visit=visit,
        findings="",
        fault_cause="",
        repair_method="",
        minutes=0,
        warranty_status="",
        warranty_basis="",
    )
    if quote.accepted:
        raise Conflict(
            "The customer accepted this quote; add a charge instead", error_code="quote_accepted"
        )
    session.add(quote)
    lines = _charges(session, visit, charges, at)
    with audited(session, actor, quote, "quote.drafted", device_time=at):
        quote.findings, quote.fault_cause, quote.minutes = findings, fault_cause, minutes
        quote.warranty_status, quote.warranty_basis = warranty_status, warranty_basis
        quote.repair_method = repair_method
        quote.charges = lines
    visit.touch()
    return visit


def accept(
    *,
    session: Session,
    actor: Actor,
    visit_id: int,
    device_time: datetime,
    accepted_by: str,
    signature: bytes | None = None,
) -> Visit:
    """Record the customer's acceptance on the technician's phone: work may start (VCH-3)."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    digest = hashlib.sha256(signature).hexdigest() if signature else None
    record_acceptance(
        session, actor=actor, visit=visit, at=at, via=rules.AcceptedVia.PHONE,
        accepted_by=accepted_by, signature_sha256=digest,
    )  # fmt: skip
    return visit


def record_acceptance(
    session: Session,
    *,
    actor: Actor,
    visit: Visit,
    at: datetime,
    via: str,
    accepted_by: str,
    signature_sha256: str | None = None,
) -> Quote:
    """Accept the visit's quote (on the phone or by link) and record the visit's estimate."""
    quote = _quote(visit)
    if not visit.at_site:
        raise Conflict(f"Visit is {visit.status}; the quote is accepted on site before work")
    with audited(session, actor, quote, "quote.accepted", device_time=at, extra={"via": via}):
        quote.accept(at=at, via=via, signature_sha256=signature_sha256)
        # The visit's accepted estimate, which work start and settlement check (VCH-3).
        visit.field_record.accept_estimate(
            cents=quote.total_cents, minutes=quote.minutes, accepted_by=accepted_by, at=at
        )
    visit.touch()
    return quote


def add_charge(
    *, session: Session, actor: Actor, visit_id: int, device_time: datetime, charge: dict
) -> Visit:
    """Add a charge found while working; outside the fee table it awaits the customer."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    quote = _quote(visit)
    if not quote.accepted or not visit.record_open:
        raise Conflict(
            "Charges are added to an accepted quote while the visit is open",
            error_code="quote_not_accepted" if not quote.accepted else None,
        )
    (line,) = _charges(session, visit, [charge], at)
    quote.charges.append(line)
    session.flush()
    record(
        session,
        actor=actor,
        action="charge.added",
        entity="charge",
        entity_id=line.id,
        after=line.snapshot(),
        device_time=at,
    )
    visit.touch()
    return visit


def confirm_charge(
    *, session: Session, actor: Actor, visit_id: int, charge_id: int, device_time: datetime
) -> Visit:
    """Record the customer's confirmation (on the phone) of a charge outside the fee table."""
    visit = get_for_technician(session, actor, visit_id)
    at = checked_device_time(device_time)
    charge = _charge_of(_quote(visit), charge_id)
    with audited(session, actor, charge, "charge.confirmed", device_time=at):
        charge.confirm(at=at, via=rules.AcceptedVia.PHONE)
    visit.touch()
    return visit


def for_technician(*, session: Session, actor: Actor, visit_id: int) -> Quote:
    return _quote(get_for_technician(session, actor, visit_id))


def for_staff(*, session: Session, actor: Actor, visit_id: int) -> Quote:
    return _quote(get_visit(session, visit_id, actor=actor))


def check_collectable(visit: Visit) -> None:
    """Refuse to collect while a charge awaits confirmation or is disputed (VCH-15)."""
    quote = visit.quote
    problem = rules.collection_problem(c.status for c in quote.charges) if quote else None
    if problem:
        raise Conflict(
            f"The fee cannot be collected: {problem[1]}",
            error_code=problem[0],
            details={"charges": [problem[1]]},
        )


def _quote(visit: Visit) -> Quote:
    if visit.quote is None:
        raise NotFound(f"Visit {visit.id} has no quote")
    return visit.quote


def _charge_of(quote: Quote, charge_id: int) -> Charge:
    charge = next((c for c in quote.charges if c.id == charge_id), None)
    if charge is None:
        raise NotFound(f"Charge {charge_id} not found")
    return charge


def _charges(session: Session, visit: Visit, wanted: list[dict], at: datetime) -> list[Charge]:
    """Price each wanted line: a code from the fee table in force, or a priced line outside it."""
    region_id = access.region_of_request(visit.request)
    codes = [w["code"] for w in wanted if w.get("code")]
    table = items_in_force(session, region_id, at, codes)
    unknown = sorted(set(codes) - set(table))
    if unknown:
        raise RuleViolation(
            "Not in the fee table", error_code="unknown_fee_code", details={"code": unknown}
        )
    return [_charge(w, table.get(w.get("code"))) for w in wanted]


def _charge(wanted: dict, item) -> Charge:
    off_table = item is None
    if off_table and not (wanted.get("name") and wanted.get("price_cents") is not None):
        raise RuleViolation(
            "A charge outside the fee table needs a name, a price and the reason",
            error_code="charge_incomplete",
            details={"charges": ["name, price_cents and reason, or a fee-table code"]},
        )
    if off_table and not wanted.get("reason"):
        raise RuleViolation(
            "A charge outside the fee table needs the reason",
            error_code="charge_incomplete",
            details={"reason": ["required outside the fee table"]},
        )
    return Charge(
        fee_item_id=None if off_table else item.id,
        code=None if off_table else item.code,
        name=wanted["name"] if off_table else item.name_zh,
        unit=(wanted.get("unit") or "item") if off_table else item.unit,
        unit_price_cents=wanted["price_cents"] if off_table else item.price_cents,
        quantity=wanted["quantity"],
        off_table=off_table,
        reason=wanted.get("reason"),
        status=rules.initial_charge_status(off_table=off_table),
        added_at=utcnow(),
    )


QUOTE_FIELDS = (
    "visit_id",
    "status",
    "findings",
    "fault_cause",
    "repair_method",
    "warranty_status",
    "warranty_basis",
    "minutes",
    "total_cents",
    "accepted_at",
    "accepted_via",
    "charges",
)


def shown(session: Session, quote: Quote) -> dict:
    """Return the quote with the warranty and repair rules of its product (VCH-4)."""
    return {name: getattr(quote, name) for name in QUOTE_FIELDS} | {
        "warranty_rules": warranty.rules_entry(session, quote.visit.request, quote.repair_method)
    }
