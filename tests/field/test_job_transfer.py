"""DSP-13: a job handed to another region or department, with its reason; the sender keeps
sight of it."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from tests.builders import repair_request

KUNSHAN = [[120.9, 31.3], [121.1, 31.3], [121.1, 31.5], [120.9, 31.5], [120.9, 31.3]]


def test_dsp_13_job_handed_to_another_region_is_logged_with_reason_and_stays_in_sight(
    client, world, session
):
    other = client.post(
        "/api/v1/regions",
        headers=world.auth("manager"),
        json={"code": "KS", "name": "Kunshan", "polygon": KUNSHAN},
    )
    assert other.status_code == 201, other.get_json()
    request = repair_request(client, world)
    url = f"/api/v1/requests/{request['id']}/transfer"
    dispatcher = world.auth("dispatcher")
    no_target = client.post(url, headers=dispatcher, json={"reason": "No technician free"})
    assert no_target.status_code == 422
    sent = client.post(
        url,
        headers=dispatcher,
        json={
            "reason": "No certified HVAC technician free",
            "to_region_id": other.get_json()["id"],
        },
    )
    assert sent.status_code == 201, sent.get_json()
    to_department = client.post(
        url,
        headers=dispatcher,
        json={"reason": "Needs the installation team", "to_department": "installation"},
    )
    assert to_department.status_code == 201
    seen = client.get("/api/v1/transfers", headers=dispatcher).get_json()
    assert [(t["to_region_id"], t["to_department"]) for t in seen] == [
        (None, "installation"),
        (other.get_json()["id"], None),
    ]
    assert all(t["request_id"] == request["id"] and t["reason"] for t in seen)
    logged = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "request.transferred")
    ).all()
    assert [a.after["reason"] for a in logged] == [
        "No certified HVAC technician free",
        "Needs the installation team",
    ]
    assert client.get(f"/api/v1/requests/{request['id']}", headers=dispatcher).status_code == 200
