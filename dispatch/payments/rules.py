"""Pure fee rules of class-A work."""

from __future__ import annotations

CHARGED_CLASS = "A"
COLLECTION_METHODS = ("cash", "wechat", "alipay", "card")


def charge_problem(service_class: str, fee_cents: int) -> str | None:
    """Return why a fee is not allowed for this service class, or None (VCH-13)."""
    if fee_cents and service_class != CHARGED_CLASS:
        return f"class {service_class} work is free of charge"
    return None


def settlement(fee_cents: int, cap_cents: int, collected: bool) -> str | None:
    """Return how a class-A fee is settled: collected on site up to the cap, else invoiced."""
    if fee_cents <= 0:
        return None
    if collected and fee_cents <= cap_cents:
        return "collected"
    return "invoice"
