"""CMP-7 (H9, C3): every request that is neither a job nor a complaint gets a first response
with a timetable within 24 h; the sweeper flags a late one and tells its owner."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.complaints.first_response import RequestFirstResponse
from tests.aftercare.helpers import local, relogin, sweep
from tests.builders import repair_request
from tests.complaints.helpers import alert_kinds, governed_world, ok


def other_request(client, world, request_type: str) -> dict:
    body = {
        "customer_id": world.customer_id,
        "request_type": request_type,
        "channel": "phone",
        "category": "appliance",
        "service_class": "A",
        "fault_description": "How do I descale the machine?",
    }
    return ok(client.post("/api/v1/requests", headers=world.auth("dispatcher"), json=body))


def test_cmp_7_other_requests_get_a_24_hour_first_response_with_a_timetable(
    client, session, config
):
    with time_machine.travel(local(7, 10), tick=True) as clock:
        world = governed_world(client)
        answered = other_request(client, world, "consultation")
        late = other_request(client, world, "suggestion")
        job = repair_request(client, world)  # a job has its booking clocks instead
        path = f"/api/v1/complaints/requests/{answered['id']}/first-response"
        body = {"message": "Thank you for asking", "timetable": "A technician calls by 16:00"}
        first = client.post(path, headers=world.auth("dispatcher"), json=body)
        again = client.post(path, headers=world.auth("dispatcher"), json=body)
        no_clock = client.post(
            f"/api/v1/complaints/requests/{job['id']}/first-response",
            headers=world.auth("dispatcher"),
            json=body,
        )
        clock.move_to(local(8, 9, 59))
        assert sweep(config)["first_responses_late"] == 0
        clock.move_to(local(8, 10, 1))
        relogin(client, world, "dispatcher")
        assert sweep(config)["first_responses_late"] == 1
        assert sweep(config)["first_responses_late"] == 0  # flagged once
    assert first.status_code == 200 and first.get_json()["timetable"].startswith("A technician")
    assert first.get_json()["due_at"].startswith("2026-12-08T02:00")  # 24 h
    assert again.status_code == 409 and no_clock.status_code == 404
    rows = {r.request_id: r for r in session.scalars(select(RequestFirstResponse))}
    assert set(rows) == {answered["id"], late["id"]}
    assert rows[late["id"]].breached_at and not rows[answered["id"]].breached_at
    assert alert_kinds(session, "dispatcher") == ["request.first_response_breached"]
