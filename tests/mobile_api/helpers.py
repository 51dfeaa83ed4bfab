"""Small helpers for driving a visit from the technician's phone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.builders import signature_b64


def now_iso(minutes: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def act(client, headers, visit_id: int, action: str, key: str | None = None, **body):
    """POST one status change; with a key when given."""
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/mobile/v1/visits/{visit_id}/{action}",
        headers=headers | extra,
        json={"device_time": now_iso()} | body,
    )


def walk_to_site(client, headers, visit_id: int, lat=31.19, lon=121.44) -> None:
    """Depart and arrive at the site."""
    assert act(client, headers, visit_id, "depart").status_code == 200
    assert act(client, headers, visit_id, "arrive", lat=lat, lon=lon).status_code == 200


ESTIMATE = {"estimate_cents": 18000, "estimate_minutes": 45, "accepted_by": "Wang"}


def accept_estimate(client, headers, visit_id: int) -> None:
    """Record the class-A estimate the customer accepted (needed before work starts)."""
    assert act(client, headers, visit_id, "estimate", **ESTIMATE).status_code == 200


# The record a voucher needs before it can be submitted (VCH-6).
RECORD = {
    "diagnosis": "Drive belt worn through",
    "work_done": "Fitted a new drive belt",
    "solution": "Belt replaced, tension set",
    "result": "Drum turns, full wash cycle ran",
}


def completion(**overrides) -> dict:
    return {
        "device_time": now_iso(),
        "service_content": "Replaced the drive belt",
        **RECORD,
        "parts": [{"code": "BELT-9", "name": "Drive belt", "quantity": 1}],
        "labour_minutes": 45,
        "fee_cents": 18000,
        "signature": {"signer_name": "Wang", "image": signature_b64()},
    } | overrides


def new_key() -> str:
    return uuid.uuid4().hex
