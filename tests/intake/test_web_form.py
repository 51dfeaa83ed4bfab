"""The public web form: a customer without a login confirms their phone with a one-time SMS
code, then submits a request that lands in the intake queue (INT-15, PRV-1)."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select, text

from dispatch.audit import AuditEntry
from dispatch.clock import utcnow
from dispatch.notifications.models import SmsMessage
from dispatch.privacy.models import ConsentRecord

PHONE = "139 1234 5678"
E164 = "+8613912345678"
FORM = {
    "name": "李华",
    "address": "上海市徐汇区漕溪北路88号",
    "category": "appliance",
    "product_model": "KX-2200",
    "fault_description": "Washer leaks water during the spin cycle",
    "preferred_time": "Saturday morning",
    "language": "en",
    "privacy_consent": True,
    "notice_version": "2026-01",
}


def ask_code(client, phone: str = PHONE, address: str = "127.0.0.1"):
    return client.post(
        "/api/v1/web-requests/codes",
        json={"phone": phone, "language": "en"},
        environ_base={"REMOTE_ADDR": address},
    )


def texted_code(session, phone: str = E164) -> str:
    body = session.scalars(
        select(SmsMessage.body)
        .where(SmsMessage.template == "web_form_code", SmsMessage.to_phone == phone)
        .order_by(SmsMessage.id.desc())
    ).first()
    return re.search(r"\b(\d{6})\b", body).group(1)


def submit(client, code: str, phone: str = PHONE, **changes):
    return client.post("/api/v1/web-requests", json={"phone": phone, "code": code} | FORM | changes)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_int_15_a_confirmed_phone_submits_a_request_that_an_agent_registers(client, world, session):
    sent = ask_code(client)
    assert sent.status_code == 202, sent.get_json()
    accepted = submit(client, texted_code(session))
    assert accepted.status_code == 201, accepted.get_json()
    receipt = accepted.get_json()
    assert receipt["status"] == "waiting"
    queue = client.get("/api/v1/web-requests", headers=world.auth("dispatcher")).get_json()
    [item] = queue["items"]
    assert (item["id"], item["phone"], item["region_id"]) == (receipt["id"], E164, world.region_id)
    assert (item["fault_description"], item["preferred_time"]) == (
        FORM["fault_description"],
        "Saturday morning",
    )
    registered = client.post(
        f"/api/v1/web-requests/{receipt['id']}/register",
        headers=world.auth("dispatcher"),
        json={"service_class": "A"},
    )
    assert registered.status_code == 201, registered.get_json()
    request = registered.get_json()
    assert (request["channel"], request["request_type"], request["status"]) == (
        "web_form",
        "repair",
        "registered",
    )
    consent = session.scalars(
        select(ConsentRecord).where(ConsentRecord.customer_id == request["customer_id"])
    ).one()
    assert (consent.channel, consent.notice_version) == ("web", "2026-01")  # PRV-1
    left = client.get("/api/v1/web-requests", headers=world.auth("dispatcher")).get_json()
    assert left["items"] == []
    done = client.get(
        "/api/v1/web-requests?status=registered", headers=world.auth("dispatcher")
    ).get_json()["items"]
    assert done[0]["request_id"] == request["id"] and done[0]["phone"] is None  # moved on
    again = client.post(
        f"/api/v1/web-requests/{receipt['id']}/register",
        headers=world.auth("dispatcher"),
        json={"service_class": "A"},
    )
    assert again.status_code == 409 and again.get_json()["error_code"] == "web_request_done"
    assert session.scalars(
        select(SmsMessage).where(SmsMessage.template == "request_received")
    ).all()


def test_int_15_a_wrong_code_counts_and_the_fifth_wrong_try_locks_the_code(client, session):
    ask_code(client)
    code = texted_code(session)
    for left in (4, 3, 2, 1):
        refused = submit(client, wrong(code))
        assert refused.status_code == 422, refused.get_json()
        body = refused.get_json()
        assert (body["error_code"], body["details"]["attempts_left"]) == ("code_wrong", left)
    locked = submit(client, wrong(code))
    assert locked.status_code == 429 and locked.get_json()["error_code"] == (
        "code_attempts_exceeded"
    )
    too_late = submit(client, code)  # even the right code: ask for a new one
    assert too_late.status_code == 429
    assert (
        len(session.scalars(select(AuditEntry).where(AuditEntry.action.like("phone_code%"))).all())
        == 5
    )


def test_int_15_an_expired_code_is_refused(client, session):
    ask_code(client)
    code = texted_code(session)
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        expired = submit(client, code)
    assert expired.status_code == 422 and expired.get_json()["error_code"] == "code_expired"


def test_int_15_a_replayed_submission_returns_the_same_request_and_other_content_is_refused(
    client, session
):
    ask_code(client)
    code = texted_code(session)
    first = submit(client, code)
    replay = submit(client, code)
    assert first.status_code == replay.status_code == 201
    assert first.get_json()["id"] == replay.get_json()["id"]
    other = submit(client, code, fault_description="Something else entirely")
    assert other.status_code == 409 and other.get_json()["error_code"] == "code_used"
    assert session.scalar(text("SELECT count(*) FROM web_requests")) == 1


def test_int_15_codes_are_limited_per_phone_and_per_client_address(client, session):
    for _ in range(5):
        assert ask_code(client, address="10.0.0.1").status_code == 202
    refused = ask_code(client, address="10.0.0.2")
    assert refused.status_code == 429
    assert refused.get_json()["error_code"] == "too_many_codes_for_phone"
    for n in range(20):
        assert ask_code(client, phone=f"1370000{n:04d}", address="10.0.0.9").status_code == 202
    crowded = ask_code(client, phone="13799990000", address="10.0.0.9")
    assert crowded.status_code == 429
    assert crowded.get_json()["error_code"] == "too_many_codes_from_client"


def test_int_15_codes_and_personal_fields_are_not_stored_in_clear(client, session):
    ask_code(client)
    code = texted_code(session)
    assert submit(client, code).status_code == 201
    stored = session.execute(text("SELECT code_hash, phone_index FROM phone_codes")).one()
    assert code not in stored.code_hash and "13912345678" not in stored.phone_index
    raw = session.execute(text("SELECT phone, name, address FROM web_requests")).one()
    assert "13912345678" not in raw.phone and "李华" not in raw.name and "漕溪" not in raw.address


def test_int_15_the_privacy_notice_must_be_accepted_and_bad_input_is_a_422(client, session):
    ask_code(client)
    code = texted_code(session)
    refused = submit(client, code, privacy_consent=False)
    assert refused.status_code == 422
    assert "privacy_consent" in refused.get_json()["details"]["fields"]["json"]
    assert submit(client, "12ab56").status_code == 422
    assert ask_code(client, phone="12").status_code == 422
    nobody = submit(client, "123456", phone="13600000000")
    assert nobody.status_code == 422 and nobody.get_json()["error_code"] == "code_wrong"


def test_int_15_the_queue_shows_each_agent_only_their_regions_requests(client, world, session):
    ask_code(client)
    placed_nowhere = submit(client, texted_code(session), address="7 Nowhere-Lane, somewhere")
    assert placed_nowhere.status_code == 201
    web_request_id = placed_nowhere.get_json()["id"]
    queue = client.get("/api/v1/web-requests", headers=world.auth("dispatcher")).get_json()
    assert queue["items"] == []  # no region contains the address: not the dispatcher's
    hidden = client.post(
        f"/api/v1/web-requests/{web_request_id}/register",
        headers=world.auth("dispatcher"),
        json={"service_class": "A"},
    )
    assert hidden.status_code == 404
