"""Arrange customers for the privacy tests (fictitious data only, PRV-15)."""

from __future__ import annotations

CONSENT = {"channel": "phone", "notice_version": "2026-01"}


def new_customer(client, world, name: str, phone: str, address: str | None = None, **extra):
    body = {"name": name, "phone": phone, "consent": dict(CONSENT)} | extra
    reply = client.post("/api/v1/customers", headers=world.auth("dispatcher"), json=body)
    assert reply.status_code == 201, reply.get_json()
    customer = reply.get_json()
    if address:
        site = client.post(
            f"/api/v1/customers/{customer['id']}/sites",
            headers=world.auth("dispatcher"),
            json={"address": address, "lat": 31.2, "lon": 121.45},
        )
        assert site.status_code == 201, site.get_json()
        customer["site_id"] = site.get_json()["id"]
    return customer
