"""Daily reconciliation (VCH-19): requests and jobs of the day against their vouchers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.vouchers.helpers import completed_voucher, countersign


def test_vch_19_reconciliation_counts_and_lists_mismatches(client, world):
    archived = completed_voucher(client, world)
    countersign(client, world, archived["id"])
    unsigned = completed_voucher(client, world, signed=False, hour=12)
    waiting = completed_voucher(client, world, hour=14)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    response = client.get(
        f"/api/v1/vouchers/reconciliation?day={today}", headers=world.auth("quality")
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["vouchers_issued"] == body["visits_completed"] == 3
    assert body["requests_registered"] == 3 and body["vouchers_archived"] == 1
    problems = {m["voucher_number"]: m["problems"] for m in body["mismatches"]}
    assert problems == {
        unsigned["number"]: ["unsigned_customer_absent", "not_countersigned"],
        waiting["number"]: ["not_countersigned"],
    }


def test_reconciliation_needs_a_valid_day(client, world):
    response = client.get(
        "/api/v1/vouchers/reconciliation?day=yesterday", headers=world.auth("manager")
    )
    assert response.status_code == 422
    assert client.get("/api/v1/vouchers/reconciliation?day=2026-01-01").status_code == 401
