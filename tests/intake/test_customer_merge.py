"""Several phones per customer, and merging a flagged duplicate without losing history
(INT-7, INT-8)."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from tests.builders import repair_request
from tests.complaints.helpers import file_complaint

CONSENT = {"channel": "phone", "notice_version": "2026-01"}


def test_int_7_a_further_phone_finds_the_customer(client, world):
    added = client.post(
        f"/api/v1/customers/{world.customer_id}/phones",
        headers=world.auth("dispatcher"),
        json={"phone": "021 6234 5678", "label": "home"},
    )
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["other_phones"] == [{"phone": "+862162345678", "label": "home"}]
    again = client.post(
        f"/api/v1/customers/{world.customer_id}/phones",
        headers=world.auth("dispatcher"),
        json={"phone": "+86 21 6234 5678"},
    )
    assert len(again.get_json()["other_phones"]) == 1  # the same number is not added twice
    found = client.get(
        "/api/v1/customers", headers=world.auth("dispatcher"), query_string={"phone": "02162345678"}
    )
    assert [c["id"] for c in found.get_json()["items"]] == [world.customer_id]


def test_int_8_merging_a_duplicate_moves_its_history_and_keeps_its_row(client, world, session):
    twin = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={"name": "测试客户", "phone": "13800138000", "consent": CONSENT},
    ).get_json()
    assert twin["possible_duplicate_of_id"] == world.customer_id
    site = client.post(
        f"/api/v1/customers/{twin['id']}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "上海市徐汇区测试路200号", "lat": 31.19, "lon": 121.44},
    ).get_json()
    request = repair_request(client, world, customer_id=twin["id"], site_id=site["id"])
    complaint = file_complaint(client, world, customer_id=twin["id"])
    url = f"/api/v1/customers/{twin['id']}/merge"
    refused = client.post(
        url, headers=world.auth("dispatcher"), json={"into_customer_id": world.customer_id}
    )
    assert refused.status_code == 403  # managers merge
    merged = client.post(
        url, headers=world.auth("manager"), json={"into_customer_id": world.customer_id}
    )
    assert merged.status_code == 200, merged.get_json()
    kept = merged.get_json()
    assert kept["id"] == world.customer_id
    assert site["id"] in [s["id"] for s in kept["sites"]]
    staff = world.auth("dispatcher")
    moved = client.get(f"/api/v1/requests/{request['id']}", headers=staff).get_json()
    assert moved["customer_id"] == world.customer_id and moved["number"] == request["number"]
    history = client.get(f"/api/v1/requests/customer-file/{world.customer_id}", headers=staff)
    assert complaint["number"] in [c["number"] for c in history.get_json()["complaints"]]
    old = client.get(f"/api/v1/customers/{twin['id']}", headers=staff).get_json()
    assert old["merged_into_id"] == world.customer_id  # the duplicate's row stays
    found = client.get("/api/v1/customers?phone=13800138000", headers=staff).get_json()["items"]
    assert [c["id"] for c in found] == [world.customer_id]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "customer.merged")).one()
    assert entry.after["moved"]["service_requests"] == 1
    twice = client.post(
        url, headers=world.auth("manager"), json={"into_customer_id": world.customer_id}
    )
    assert twice.status_code == 409
