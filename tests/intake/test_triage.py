"""Intake triage: diagnosis, answered without a visit, scope check and class, missing details,
a new need after closure, and who submitted a request (INT-9, INT-10, INT-11, INT-14, INT-17)."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.notifications.models import SmsMessage
from tests.builders import login, repair_body, repair_request


def ok(reply, status: int = 200) -> dict:
    assert reply.status_code == status, reply.get_json()
    return reply.get_json()


def post(client, world, request_id: int, action: str, body: dict, who: str = "dispatcher"):
    return client.post(
        f"/api/v1/requests/{request_id}/{action}", headers=world.auth(who), json=body
    )


def test_int_9_diagnosis_is_stored_and_an_on_the_spot_answer_closes_without_a_visit(
    client, world, session
):
    request = repair_request(client, world)
    diagnosed = ok(post(client, world, request["id"], "diagnosis", {"diagnosis": "Belt slipped"}))
    assert diagnosed["assessment"]["diagnosis"] == "Belt slipped"
    assert diagnosed["assessment"]["diagnosed_at"] and diagnosed["status"] == "registered"
    answer = "Reset the drum lock: hold START for 5 s; the customer tried it and it spins"
    resolved = ok(
        post(client, world, request["id"], "resolve", {"answer": answer, "how": "on_the_spot"})
    )
    assert resolved["status"] == "resolved_remotely"
    assert (resolved["assessment"]["answer"], resolved["assessment"]["answered_how"]) == (
        answer,
        "on_the_spot",
    )
    assert resolved["assessment"]["diagnosis"] == "Belt slipped"  # kept beside the answer
    booking = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={"window_start": "2030-01-02T01:00:00Z", "window_end": "2030-01-02T03:00:00Z"},
    )
    assert booking.status_code == 409  # no appointment for an answered request
    again = post(client, world, request["id"], "resolve", {"answer": answer, "how": "remote"})
    assert again.status_code == 409 and again.get_json()["error_code"] == "invalid_transition"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "request.resolved_without_visit")
    ).one()
    assert (entry.before["status"], entry.after["status"]) == ("registered", "resolved_remotely")


def test_int_10_scope_check_sets_class_and_out_of_scope_can_never_be_scheduled(client, world):
    inside = repair_request(client, world, service_class="C")
    checked = ok(
        post(client, world, inside["id"], "scope", {"in_scope": True, "service_class": "A"})
    )
    assert (checked["status"], checked["service_class"]) == ("verified", "A")
    assert checked["assessment"]["in_scope"] is True

    outside = repair_request(client, world)
    no_reason = post(
        client, world, outside["id"], "scope", {"in_scope": False, "service_class": "B"}
    )
    assert (
        no_reason.status_code == 422
        and "reason" in no_reason.get_json()["details"]["fields"]["json"]
    )
    ruled = ok(
        post(
            client,
            world,
            outside["id"],
            "scope",
            {"in_scope": False, "reason": "Third-party product", "service_class": "B"},
        )
    )
    assert ruled["status"] == "out_of_scope"
    assessment = ruled["assessment"]
    assert (assessment["in_scope"], assessment["scope_reason"]) == (False, "Third-party product")
    booking = client.post(
        f"/api/v1/requests/{outside['id']}/visits",
        headers=world.auth("dispatcher"),
        json={"window_start": "2030-01-02T01:00:00Z", "window_end": "2030-01-02T03:00:00Z"},
    )
    assert booking.status_code == 409
    assert booking.get_json()["error_code"] == "request_not_bookable"
    back_in = post(client, world, outside["id"], "scope", {"in_scope": True, "service_class": "B"})
    assert back_in.status_code == 409  # out of scope is final


def test_int_11_needs_supplement_lists_what_is_missing_and_tells_the_customer(
    client, world, session
):
    request = repair_request(client, world)
    missing = ["purchase invoice", "photo of the nameplate"]
    asked = ok(post(client, world, request["id"], "supplement", {"missing": missing}))
    assert asked["assessment"]["missing"] == missing and asked["assessment"]["needs_supplement"]
    texts = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "request_needs_supplement")
    ).all()
    assert len(texts) == 1 and request["number"] in texts[0] and "purchase invoice" in texts[0]
    cleared = ok(post(client, world, request["id"], "supplement", {"missing": []}))
    assert cleared["assessment"]["needs_supplement"] is False
    received = session.scalars(
        select(SmsMessage).where(SmsMessage.template == "request_received")
    ).all()
    assert len(received) == 1  # the acceptance notice with the number (INT-11)


def test_int_17_a_new_need_after_closure_opens_a_linked_request_and_leaves_the_old_one(
    client, world, session
):
    first = repair_request(client, world)
    still_open = post(client, world, first["id"], "new-need", {"fault_description": "Door squeaks"})
    assert still_open.status_code == 409
    assert still_open.get_json()["error_code"] == "request_still_open"
    ok(post(client, world, first["id"], "resolve", {"answer": "Reset it", "how": "remote"}))
    before = ok(client.get(f"/api/v1/requests/{first['id']}", headers=world.auth("dispatcher")))
    new = ok(
        post(client, world, first["id"], "new-need", {"fault_description": "Door squeaks"}), 201
    )
    assert new["follows_request_id"] == first["id"] and new["id"] != first["id"]
    assert new["number"] != first["number"] and new["status"] == "registered"
    assert (new["customer_id"], new["site_id"], new["product_model"]) == (
        first["customer_id"],
        first["site_id"],
        first["product_model"],
    )
    after = ok(client.get(f"/api/v1/requests/{first['id']}", headers=world.auth("dispatcher")))
    assert after == before  # the closed record is never edited


def test_int_14_a_request_submitted_by_a_dealer_stores_the_submitting_party(client, world):
    reply = client.post(
        "/api/v1/requests",
        headers=world.auth("dispatcher"),
        json=repair_body(
            world, channel="dealer", submitted_by_kind="dealer", submitted_by_name="Xuhui Store"
        ),
    )
    stored = ok(reply, 201)
    assert (stored["submitted_by_kind"], stored["submitted_by_name"]) == ("dealer", "Xuhui Store")
    half = client.post(
        "/api/v1/requests",
        headers=world.auth("dispatcher"),
        json=repair_body(world, submitted_by_kind="technician"),
    )
    assert half.status_code == 422
    unknown = client.post(
        "/api/v1/requests",
        headers=world.auth("dispatcher"),
        json=repair_body(world, submitted_by_kind="neighbour", submitted_by_name="Li"),
    )
    assert unknown.status_code == 422


def test_apt_12_requests_without_a_specific_answer_after_72_hours_are_flagged(client, world):
    with time_machine.travel("2030-03-04T01:00:00Z", tick=True) as clock:
        world.tokens["dispatcher"] = login(client, "dispatcher")  # a token of the travelled clock
        silent = repair_request(client, world)
        diagnosed = repair_request(client, world)
        answered = repair_request(client, world)
        ok(post(client, world, diagnosed["id"], "diagnosis", {"diagnosis": "Worn belt"}))
        ok(post(client, world, answered["id"], "resolve", {"answer": "Reset", "how": "remote"}))
        url = "/api/v1/requests/answer-overdue"
        assert ok(client.get(url, headers=world.auth("dispatcher"))) == []
        clock.move_to("2030-03-07T01:05:00Z")
        world.tokens["dispatcher"] = login(client, "dispatcher")
        late = ok(client.get(url, headers=world.auth("dispatcher")))
    # A diagnosis without a date is not yet a specific answer; the resolved one had its answer.
    assert [r["id"] for r in late] == [silent["id"], diagnosed["id"]]
    assert late[0]["answer_due"].startswith("2030-03-07T01:00")
