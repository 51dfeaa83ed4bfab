"""Pure voucher rules: the lifecycle table, content hashing, signature images, verification."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import warnings
from datetime import UTC, datetime
from enum import StrEnum

from PIL import Image, UnidentifiedImageError

MAX_SIGNATURE_BYTES = 512 * 1024
MAX_SIGNATURE_PIXELS = 4096 * 4096  # a phone canvas is far smaller; bigger is a decompression bomb
VERIFICATION_CODE_LENGTH = 16  # hex digits of the content hash printed inside the QR code


class VoucherState(StrEnum):
    """States of a service voucher (REQUIREMENTS "Enumerations and states")."""

    ISSUED = "issued"
    FILLED = "filled"
    CUSTOMER_SIGNED = "customer_signed"
    COUNTERSIGNED = "countersigned"
    ARCHIVED = "archived"
    VOID = "void"


class VoucherEvent(StrEnum):
    """What can happen to a voucher; the table below says where each leads."""

    FILL = "fill"
    CUSTOMER_SIGNS = "customer_signs"
    MANAGER_COUNTERSIGNS = "manager_countersigns"
    REVISE = "revise"  # content corrected before archiving: signatures given so far are void
    VOID = "void"  # the job was cancelled before anyone signed


S, E = VoucherState, VoucherEvent
# The one table of the voucher's life (C5: the two signatures come in either order).
TRANSITIONS: dict[VoucherState, dict[VoucherEvent, VoucherState]] = {
    S.ISSUED: {E.FILL: S.FILLED, E.VOID: S.VOID},
    S.FILLED: {
        E.CUSTOMER_SIGNS: S.CUSTOMER_SIGNED,
        E.MANAGER_COUNTERSIGNS: S.COUNTERSIGNED,
        E.REVISE: S.FILLED,
        E.VOID: S.VOID,
    },
    S.CUSTOMER_SIGNED: {E.MANAGER_COUNTERSIGNS: S.ARCHIVED, E.REVISE: S.FILLED},
    S.COUNTERSIGNED: {E.CUSTOMER_SIGNS: S.ARCHIVED, E.REVISE: S.FILLED},
    S.ARCHIVED: {},
    S.VOID: {},
}
del S, E

SIGNING_EVENTS = {
    "customer": VoucherEvent.CUSTOMER_SIGNS,
    "manager": VoucherEvent.MANAGER_COUNTERSIGNS,
}


def next_state(state: str, event: VoucherEvent) -> VoucherState | None:
    """Return the state `event` leads to from `state`, or None when the table forbids it."""
    return TRANSITIONS[VoucherState(state)].get(event)


def missing_content(content: dict) -> list[str]:
    """Return the fields a voucher still lacks before it can be submitted (VCH-6)."""
    missing = [
        name
        for name in (
            "started_at",
            "ended_at",
            "service_content",
            "problem",
            "work_done",
            "solution",
            "result",
        )
        if not str(content.get(name) or "").strip()
    ]
    if not isinstance(content.get("parts"), list):
        missing.append("parts")
    started, ended = content.get("started_at"), content.get("ended_at")
    if started and ended and ended < started:
        missing.append("ended_at")
    return missing


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
    """Return why a signature image is unacceptable, or None when it decodes as a PNG."""
    if len(image) > MAX_SIGNATURE_BYTES:
        return f"signature larger than {MAX_SIGNATURE_BYTES} bytes"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(image), formats=["PNG"]) as picture:
                if picture.width * picture.height > MAX_SIGNATURE_PIXELS:
                    return "signature image has too many pixels"
                picture.load()  # decode every pixel: magic bytes alone prove nothing
    except UnidentifiedImageError:
        return "signature must be a PNG image"
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombWarning) as exc:
        return f"signature image cannot be decoded ({type(exc).__name__})"
    return None


def verification_code(content_hash_hex: str) -> str:
    """Return the code printed in the voucher's QR code: the first hex digits of its hash."""
    return content_hash_hex[:VERIFICATION_CODE_LENGTH]


def verification_url(base_url: str, number: str, content_hash_hex: str) -> str:
    """Return the public page that says whether this printed voucher is genuine and unchanged."""
    return f"{base_url.rstrip('/')}/v/{number}?h={verification_code(content_hash_hex)}"


def code_verdict(code: str, content_hash_hex: str) -> str:
    """Compare a printed code with the voucher's: unchanged, changed or unverifiable (no code).

    Only the full code counts, compared in constant time, so a forger cannot find it by
    trying a few short prefixes.
    """
    if not code:
        return "no_code"
    expected = verification_code(content_hash_hex).encode()
    return "unchanged" if hmac.compare_digest(code.lower().encode(), expected) else "changed"


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
