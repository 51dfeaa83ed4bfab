"""Pure rules of the catalogue: part codes and the rows of a CSV import."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CSV_COLUMNS = ("code", "name", "unit_price")  # unit_price in yuan, e.g. 12.50; `active` optional
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")
_YES, _NO = {"", "1", "yes", "y", "true", "是"}, {"0", "no", "n", "false", "否"}
MAX_PRICE_CENTS = 100_000_000


def normal_code(code: str) -> str:
    """Return the catalogue spelling of a part code (trimmed, upper case)."""
    return code.strip().upper()


def code_problem(code: str) -> str | None:
    """Return why a code cannot be a catalogue code, or None."""
    if not _CODE.match(code):
        return "code must be 1-64 letters, digits, '.', '_' or '-'"
    return None


def price_cents(text: str) -> int:
    """Read a price in yuan with at most two decimals as cents; ValueError when it is not."""
    try:
        amount = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError("unit_price must be a number of yuan such as 12.50") from exc
    if not amount.is_finite() or not 0 <= amount * 100 <= MAX_PRICE_CENTS:
        raise ValueError("unit_price must be 0 to 1000000 yuan")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError("unit_price may have at most two decimals")
    return int(cents)


def parse_row(row: dict) -> tuple[dict | None, list[str]]:
    """Turn one CSV row into part fields, or list what is wrong with it."""
    errors, code = [], normal_code(row.get("code") or "")
    name = (row.get("name") or "").strip()
    if problem := code_problem(code):
        errors.append(problem)
    if not 1 <= len(name) <= 120:
        errors.append("name must have 1 to 120 characters")
    try:
        cents = price_cents(row.get("unit_price") or "")
    except ValueError as exc:
        errors.append(str(exc))
    active_text = (row.get("active") or "").strip().lower()
    if active_text not in _YES | _NO:
        errors.append("active must be yes or no")
    if errors:
        return None, errors
    return {
        "code": code,
        "name": name,
        "unit_price_cents": cents,
        "active": active_text in _YES,
    }, []


def missing_columns(header: list[str] | None) -> list[str]:
    """Return the required columns a CSV header lacks."""
    present = {h.strip().lower() for h in header or []}
    return [c for c in CSV_COLUMNS if c not in present]
