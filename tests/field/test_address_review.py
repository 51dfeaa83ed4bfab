"""DSP-1: an address the geocoder cannot place goes to a dispatcher review queue, not a 422."""

from __future__ import annotations


def test_dsp_1_unlocatable_address_waits_in_the_review_queue_until_placed(client, world):
    dispatcher = world.auth("dispatcher")
    added = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=dispatcher,
        json={"address": "Back of the market, nowhere-lane 3"},
    )
    assert added.status_code == 201, added.get_json()
    site = added.get_json()
    assert site["lat"] is None and site["region_id"] is None
    queued = client.get("/api/v1/sites/review-queue", headers=dispatcher).get_json()
    assert [s["id"] for s in queued] == [site["id"]]
    placed = client.post(
        f"/api/v1/sites/{site['id']}/place", headers=dispatcher, json={"lat": 31.2, "lon": 121.45}
    )
    assert placed.status_code == 200, placed.get_json()
    assert placed.get_json()["region_id"] == world.region_id
    assert client.get("/api/v1/sites/review-queue", headers=dispatcher).get_json() == []
    again = client.post(
        f"/api/v1/sites/{site['id']}/place", headers=dispatcher, json={"lat": 31.2, "lon": 121.45}
    )
    assert again.status_code == 409
    technician = client.get("/api/v1/sites/review-queue", headers=world.auth("tech_a"))
    assert technician.status_code == 403


def test_dsp_1_region_has_a_working_calendar_and_a_responsible_lead(client, world):
    regions = client.get("/api/v1/regions", headers=world.auth("dispatcher")).get_json()
    assert regions[0]["calendar"] == "cn" and "lead_user_id" in regions[0]
    days = client.get(
        f"/api/v1/regions/{world.region_id}/calendar?start=2026-09-30&days=11",
        headers=world.auth("dispatcher"),
    ).get_json()
    working = {d["day"]: d["working"] for d in days}
    assert working["2026-09-30"] is True and working["2026-10-01"] is False
    assert working["2026-10-10"] is True  # make-up working Saturday
