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


# A class-A quote (VCH-3) with one charge outside the fee table, which the acceptance confirms.
QUOTE = {
    "findings": "Drive belt worn through",
    "fault_cause": "undetermined",
    "repair_method": "replace_part",
    "warranty_status": "out_of_warranty",
    "warranty_basis": "Bought 2019-05, two-year warranty ended",
    "minutes": 45,
    "charges": [
        {"name": "Belt replacement", "price_cents": 18000, "reason": "No fee-table item for it"}
    ],
}
ACCEPTANCE = {"accepted_by": "Wang"}


def accept_estimate(client, headers, visit_id: int, quote: dict | None = None) -> dict:
    """Write the class-A quote and record the customer's acceptance (needed before work)."""
    drafted = act(client, headers, visit_id, "quote", key=new_key(), **(quote or QUOTE))
    assert drafted.status_code == 200, drafted.get_json()
    accepted = act(client, headers, visit_id, "quote/accept", key=new_key(), **ACCEPTANCE)
    assert accepted.status_code == 200, accepted.get_json()
    return accepted.get_json()


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
