"""Pure voucher rules: canonical content hashing and signature image checks."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 512 * 1024


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def content_hash(content: dict) -> str:
    """Return the SHA-256 of the content in a canonical JSON form (order and zone free)."""
    text = json.dumps(_canonical(content), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def signature_problem(image: bytes) -> str | None:
    """Return why a signature image is unacceptable, or None when it is a usable PNG."""
    if not image.startswith(PNG_MAGIC):
        return "signature must be a PNG image"
    if len(image) > MAX_SIGNATURE_BYTES:
        return f"signature larger than {MAX_SIGNATURE_BYTES} bytes"
    if len(image) < 67:  # smaller than the smallest valid PNG
        return "signature image is truncated"
    return None


def voucher_status(valid_signatures: set[str]) -> str:
    """Return the status a voucher has with these valid signatures (C5: either order)."""
    if {"customer", "manager"} <= valid_signatures:
        return "archived"
    if "customer" in valid_signatures:
        return "customer_signed"
    if "manager" in valid_signatures:
        return "countersigned"
    return "issued"


def reconciliation_problems(
    *, has_voucher: bool, customer_signed: bool, countersigned: bool, unsigned_reason: str | None
) -> list[str]:
    """Return what is missing between a completed job and its voucher (VCH-19)."""
    if not has_voucher:
        return ["completed_without_voucher"]
    problems = []
    if not customer_signed:
        problems.append(f"unsigned_{unsigned_reason}" if unsigned_reason else "not_signed")
    if not countersigned:
        problems.append("not_countersigned")
    return problems
