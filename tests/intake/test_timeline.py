"""Every contact with the customer on the request's timeline: calls, SMS, visits and app
messages, with time, channel, author and summary (INT-13)."""

from __future__ import annotations

from tests.builders import book_visit
from tests.mobile_api.helpers import walk_to_site


def test_int_13_calls_sms_visits_and_app_messages_are_on_the_request_timeline(client, world):
    visit = book_visit(client, world)
    request_id = visit["request_id"]
    staff = world.auth("dispatcher")
    call = client.post(
        f"/api/v1/requests/{request_id}/contacts",
        headers=staff,
        json={"channel": "call", "direction": "inbound", "summary": "Asked when we come"},
    )
    assert call.status_code == 201, call.get_json()
    client.post(
        f"/api/v1/requests/{request_id}/contacts",
        headers=staff,
        json={"channel": "app_message", "direction": "outbound", "summary": "Sent the manual"},
    )
    walk_to_site(client, world.auth("tech_a"), visit["id"])
    timeline = client.get(f"/api/v1/requests/{request_id}/timeline", headers=staff).get_json()
    channels = [e["channel"] for e in timeline]
    assert {"call", "app_message", "sms", "visit"} <= set(channels)
    assert channels[0] == "sms" and timeline[0]["summary"].startswith("request_received")
    logged = next(e for e in timeline if e["channel"] == "call")
    assert (logged["direction"], logged["summary"]) == ("inbound", "Asked when we come")
    assert logged["author_id"] is not None and logged["at"]
    assert any(e["summary"].startswith("appointment_confirm") for e in timeline)
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    sms_only = client.post(
        f"/api/v1/requests/{request_id}/contacts",
        headers=staff,
        json={"channel": "sms", "direction": "outbound", "summary": "typed by hand"},
    )
    assert sms_only.status_code == 422  # SMS are logged by the system when they are queued
