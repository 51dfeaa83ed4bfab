"""Daily reconciliation (VCH-19): the register of requests and jobs against the vouchers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dispatch import access
from dispatch.actors import Actor
from dispatch.config import Config
from dispatch.intake.models import ServiceRequest
from dispatch.visits.models import Visit
from dispatch.vouchers import rules
from dispatch.vouchers.models import ServiceVoucher

VOUCHER_VISIT = (Visit, Visit.id == ServiceVoucher.visit_id)


def for_day(session: Session, *, actor: Actor, config: Config, day: date) -> dict:
    """Count the day's requests, completed jobs and vouchers of the actor's regions, and list
    every mismatch."""
    zone = ZoneInfo(config.default_timezone)
    start = datetime.combine(day, datetime.min.time(), zone)
    end = start + timedelta(days=1)

    mine = access.site_clause(actor, ServiceRequest.site_id)

    def count(column, *joins):
        query = select(func.count()).select_from(column.class_)
        for target, on in joins:
            query = query.join(target, on)
        if column.class_ is not ServiceRequest:
            query = query.join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        return session.scalar(query.where(column >= start, column < end, mine))

    completed = session.scalars(
        select(Visit)
        .join(ServiceRequest, ServiceRequest.id == Visit.request_id)
        .where(Visit.completed_at >= start, Visit.completed_at < end, mine)
        .order_by(Visit.number)
    )
    mismatches = []
    for visit in completed:
        voucher = visit.voucher
        problems = rules.reconciliation_problems(
            has_voucher=voucher is not None,
            customer_signed=bool(voucher and voucher.has_valid_signature("customer")),
            countersigned=bool(voucher and voucher.has_valid_signature("manager")),
            unsigned_reason=voucher.unsigned_reason if voucher else None,
        )
        if problems:
            mismatches.append(
                {
                    "visit_number": visit.number,
                    "request_number": visit.request.number,
                    "voucher_number": voucher.number if voucher else None,
                    "problems": problems,
                }
            )
    return {
        "day": day,
        "requests_registered": count(ServiceRequest.registered_at),
        "visits_completed": count(Visit.completed_at),
        "vouchers_issued": count(ServiceVoucher.issued_at, VOUCHER_VISIT),
        "vouchers_archived": count(ServiceVoucher.archived_at, VOUCHER_VISIT),
        "mismatches": mismatches,
    }
