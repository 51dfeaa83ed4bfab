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
