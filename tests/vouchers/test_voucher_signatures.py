"""Customer signature and countersignature in either order → archived; archived is read-only."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.visits.models import Visit
from tests.builders import book_visit, signature_b64
from tests.mobile_api.helpers import completion, walk_to_site
from tests.vouchers.helpers import completed_voucher, countersign


def test_vch_9_customer_first_then_countersign_archives(client, world):
    voucher = completed_voucher(client, world)
    assert voucher["status"] == "customer_signed"
    response = countersign(client, world, voucher["id"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "archived" and body["archived_at"]
    assert body["customer_signature_valid"] and body["manager_signature_valid"]


def test_c5_countersign_first_then_customer_signs_later(client, world, session):
    voucher = completed_voucher(client, world, signed=False)
    assert voucher["status"] == "filled" and voucher["unsigned_reason"] == "customer_absent"
    assert session.get(Visit, voucher["visit_id"]).needs_manager_review is True
    assert countersign(client, world, voucher["id"]).get_json()["status"] == "countersigned"
    signed = client.post(
        f"/mobile/v1/visits/{voucher['visit_id']}/voucher/signature",
        headers=world.auth("tech_a"),
        json={"signer_name": "Wang", "image": signature_b64()},
    )
    assert signed.status_code == 200, signed.get_json()
    assert signed.get_json()["voucher_status"] == "archived"
    session.expire_all()
    assert session.get(Visit, voucher["visit_id"]).needs_manager_review is False


def test_vch_7_a_change_after_signing_voids_the_signature(client, world):
    voucher = completed_voucher(client, world)
    manager = world.auth("manager")
    edited = client.patch(
        f"/api/v1/vouchers/{voucher['id']}", headers=manager, json={"fee_cents": 25000}
    )
    assert edited.status_code == 200
    body = edited.get_json()
    assert body["customer_signature_valid"] is False and body["status"] == "filled"
    assert body["content_hash"] != voucher["content_hash"]
    # The void signature does not archive the voucher; a fresh one is needed.
    assert countersign(client, world, voucher["id"]).get_json()["status"] == "countersigned"
    again = client.post(
        f"/mobile/v1/visits/{voucher['visit_id']}/voucher/signature",
        headers=world.auth("tech_a"),
        json={"signer_name": "Wang", "image": signature_b64()},
    )
    assert again.get_json()["voucher_status"] == "archived"


def test_vch_7_a_valid_signature_is_given_once(client, world):
    voucher = completed_voucher(client, world)
    again = client.post(
        f"/mobile/v1/visits/{voucher['visit_id']}/voucher/signature",
        headers=world.auth("tech_a"),
        json={"signer_name": "Someone else", "image": signature_b64()},
    )
    assert again.status_code == 409


def test_vch_10_archived_voucher_is_read_only_and_takes_audited_amendments(client, world, session):
    voucher = completed_voucher(client, world)
    countersign(client, world, voucher["id"])
    manager, url = world.auth("manager"), f"/api/v1/vouchers/{voucher['id']}"
    refused = client.patch(url, headers=manager, json={"labour_minutes": 60})
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "voucher_archived"
    amended = client.post(
        f"{url}/amendments",
        headers=manager,
        json={"field": "labour_minutes", "new_value": "60", "reason": "Timesheet showed 60 min"},
    )
    assert amended.status_code == 201
    assert amended.get_json()["old_value"] == "45"
    after = client.get(url, headers=manager).get_json()
    assert after["labour_minutes"] == 45 and after["status"] == "archived"
    assert after["content_hash"] == voucher["content_hash"]  # the signed content stays
    assert [a["new_value"] for a in after["amendments"]] == ["60"]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "voucher.amended")).one()
    assert entry.after["reason"] == "Timesheet showed 60 min"


def test_amending_an_open_voucher_is_refused(client, world):
    voucher = completed_voucher(client, world)
    response = client.post(
        f"/api/v1/vouchers/{voucher['id']}/amendments",
        headers=world.auth("manager"),
        json={"field": "fee_cents", "new_value": "1", "reason": "typo fix"},
    )
    assert response.status_code == 409


def test_rol_3_only_managers_countersign(client, world):
    voucher = completed_voucher(client, world)
    for who in ("dispatcher", "tech_a"):
        assert countersign(client, world, voucher["id"], who).status_code == 403


def test_vch_8_completion_needs_a_signature_or_the_reason(client, world, session):
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    body = completion()
    body.pop("signature")
    response = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert response.status_code == 422
    assert session.get(Visit, visit).status == "on_site"
    body["no_signature"] = {"reason": "too_busy"}
    assert (
        client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body).status_code
        == 422
    )
