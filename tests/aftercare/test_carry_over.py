"""Requests not dispatched by the end of the day carry over and lead the queue (DSP-6, DSP-8)."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.audit import AuditEntry
from tests.aftercare.helpers import local, sweep
from tests.builders import build_world, release_visit, repair_request


def test_dsp_8_undispatched_request_is_carried_over_at_day_end_and_sorted_first(
    client, session, config
):
    with time_machine.travel(local(1, 16), tick=True) as clock:
        world = build_world(client)
        old = repair_request(client, world, priority="low")
        clock.move_to(local(1, 17, 29))
        assert sweep(config)["carried_over"] == 0  # the working day is not over yet
        clock.move_to(local(1, 17, 31))
        evening = repair_request(client, world, priority="low")  # after the day end
        assert sweep(config)["carried_over"] == 1
        assert sweep(config)["carried_over"] == 0  # idempotent
        clock.move_to(local(2, 8, 40))
        urgent = repair_request(client, world, priority="high")
        queue = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
    assert [item["number"] for item in queue] == [
        old["number"],
        urgent["number"],
        evening["number"],
    ]
    assert queue[0]["carried_over"] is True and queue[0]["carried_over_at"].startswith(
        "2026-12-01T09:30"  # 17:30 Shanghai
    )
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == old["id"]))
    assert "request.carried_over" in list(actions)


def test_dsp_8_booked_request_is_not_carried_over(client, config):
    with time_machine.travel(local(1, 10), tick=True) as clock:
        world = build_world(client)
        request = repair_request(client, world)
        booked = client.post(
            f"/api/v1/requests/{request['id']}/visits",
            headers=world.auth("dispatcher"),
            json={
                "technician_id": world.technician_ids["tech_a"],
                "window_start": local(2, 10).isoformat(),
                "window_end": local(2, 12).isoformat(),
            },
        )
        assert booked.status_code == 201, booked.get_json()
        clock.move_to(local(1, 18))
        assert sweep(config)["carried_over"] == 0


def test_apt_11_dsp_8_job_put_on_hold_today_is_carried_over_at_day_end(client, config):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        request = repair_request(client, world)
        booked = client.post(
            f"/api/v1/requests/{request['id']}/visits",
            headers=world.auth("dispatcher"),
            json={
                "technician_id": world.technician_ids["tech_a"],
                "window_start": local(1, 14).isoformat(),
                "window_end": local(1, 16).isoformat(),
            },
        )
        visit = booked.get_json()["id"]
        release_visit(client, world, visit)
        tech = world.auth("tech_a")
        clock.move_to(local(1, 14))
        for action, extra in (("depart", {}), ("arrive", {"lat": 31.19, "lon": 121.44})):
            body = {"device_time": local(1, 14).isoformat()} | extra
            reply = client.post(f"/mobile/v1/visits/{visit}/{action}", headers=tech, json=body)
            assert reply.status_code == 200, reply.get_json()
        clock.move_to(local(1, 14, 30))
        unable = client.post(
            f"/mobile/v1/visits/{visit}/unable",
            headers=tech,
            json={"device_time": local(1, 14, 30).isoformat(), "reason": "coordination"},
        )
        assert unable.status_code == 200, unable.get_json()
        clock.move_to(local(1, 17))
        assert sweep(config)["carried_over"] == 0  # on hold since 14:30: the day is not over
        clock.move_to(local(1, 17, 31))
        assert sweep(config)["carried_over"] == 1
        queue = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
    assert [(q["number"], q["status"], q["carried_over"]) for q in queue] == [
        (request["number"], "on_hold", True)
    ]
