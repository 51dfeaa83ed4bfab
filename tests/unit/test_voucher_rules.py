"""VCH: the signature binds a canonical hash of the voucher content."""

from datetime import UTC, datetime, timedelta, timezone

from dispatch.vouchers.rules import (
    code_verdict,
    content_hash,
    signature_problem,
    verification_code,
    verification_url,
)
from tests.builders import png_bytes

CONTENT = {
    "number": "SV-1",
    "started_at": datetime(2026, 12, 1, 6, 0, tzinfo=UTC),
    "parts": [{"code": "A", "quantity": 1}],
    "fee_cents": 100,
}


def test_hash_ignores_key_order_and_time_zone_of_the_same_instant():
    shifted = dict(reversed(list(CONTENT.items())))
    shifted["started_at"] = CONTENT["started_at"].astimezone(timezone(timedelta(hours=8)))
    assert content_hash(shifted) == content_hash(CONTENT)


def test_any_content_change_changes_the_hash():
    for key, value in [
        ("fee_cents", 101),
        ("parts", [{"code": "A", "quantity": 2}]),
        ("number", "SV-2"),
    ]:
        assert content_hash(CONTENT | {key: value}) != content_hash(CONTENT)


def test_signature_must_be_a_png():
    assert signature_problem(png_bytes()) is None
    assert "PNG" in signature_problem(b"GIF89a" + b"\x00" * 100)
    assert signature_problem(b"\x89PNG\r\n\x1a\n") is not None  # magic bytes alone


def test_vch_7_png_magic_followed_by_noise_is_not_a_signature():
    noise = bytes(range(256)) * 4
    assert signature_problem(b"\x89PNG\r\n\x1a\n" + noise) is not None
    assert "decoded" in signature_problem(png_bytes(width=300, height=120)[:-30])  # cut short
    assert signature_problem(png_bytes(width=300, height=120)) is None


def test_verification_needs_the_full_printed_code():
    digest = content_hash(CONTENT)
    code = verification_code(digest)
    assert len(code) == 16 and code == digest[:16]
    assert code_verdict(code, digest) == "unchanged"
    assert code_verdict(code.upper(), digest) == "unchanged"
    assert code_verdict("", digest) == "no_code"
    for guess in (code[:1], code[:15], code + "0", "ü" * 16):
        assert code_verdict(guess, digest) == "changed", guess


def test_verification_url_carries_the_code_of_the_qr():
    digest = content_hash(CONTENT)
    url = verification_url("http://example.test/", "SV-1", digest)
    assert url == f"http://example.test/v/SV-1?h={digest[:16]}"
