"""VCH: the signature binds a canonical hash of the voucher content."""

from datetime import UTC, datetime, timedelta, timezone

from dispatch.vouchers.rules import content_hash, signature_problem
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
    assert "truncated" in signature_problem(b"\x89PNG\r\n\x1a\n")
