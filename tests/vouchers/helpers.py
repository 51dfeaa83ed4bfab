"""Bring a visit to a completed voucher over HTTP."""

from __future__ import annotations

from tests.builders import book_visit, next_workday_at, signature_b64
from tests.mobile_api.helpers import accept_estimate, completion, walk_to_site


def completed_voucher(
    client, world, *, signed: bool = True, hour: int = 10, tech: str = "tech_a"
) -> dict:
    """Book, work and complete a visit; return the voucher as the back office sees it."""
    visit = book_visit(client, world, tech=tech, start=next_workday_at(hour))["id"]
    tech = world.auth(tech)
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    body = completion()
    if not signed:
        body.pop("signature")
        body["no_signature"] = {"reason": "customer_absent", "note": "Neighbour let me in"}
    response = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert response.status_code == 200, response.get_json()
    detail = client.get(f"/api/v1/visits/{visit}", headers=world.auth("manager")).get_json()
    voucher = client.get(
        f"/api/v1/vouchers/{detail['voucher']['id']}", headers=world.auth("manager")
    ).get_json()
    return voucher | {"visit_id": visit}


def countersign(client, world, voucher_id: int, who: str = "manager"):
    return client.post(
        f"/api/v1/vouchers/{voucher_id}/countersign",
        headers=world.auth(who),
        json={"signer_name": "Manager Zhou", "image": signature_b64()},
    )
