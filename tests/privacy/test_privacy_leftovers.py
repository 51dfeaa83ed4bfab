"""Issue 11 leftovers: consent on the link (PRV-1), the link pages in the access log (PRV-5),
held erasures re-driven by the worker and complaint text scrubbed (PRV-9), and the check-in
position kept only with the technician's location consent (PIPL art. 28)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select, text

from dispatch import sweeps
from dispatch.clock import utcnow
from dispatch.complaints.models import Complaint
from dispatch.db import session_scope
from dispatch.links import service as links
from dispatch.privacy.models import AccessLogEntry, ConsentRecord, ErasureRequest
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.complaints.helpers import act as complaint_step
from tests.complaints.helpers import mobile, ok
from tests.mobile_api.helpers import act, new_key, walk_to_site


def _token(config, visit_id: int, purpose: str = "appointment") -> str:
    with session_scope() as session:
        return links.issue(
            session,
            secret_key=config.secret_key,
            purpose=purpose,
            visit=session.get(Visit, visit_id),
            expires_at=utcnow() + timedelta(days=1),
        )


def _link_consents(session, customer_id: int) -> list[ConsentRecord]:
    session.expire_all()
    return list(
        session.scalars(
            select(ConsentRecord).where(
                ConsentRecord.customer_id == customer_id, ConsentRecord.channel == "link"
            )
        )
    )


# --- PRV-1 -------------------------------------------------------------------------------------


def test_prv_1_customer_accepts_the_privacy_notice_on_the_link_page_once(
    client, world, config, session
):
    token = _token(config, book_visit(client, world)["id"])
    my_data = client.get(f"/l/{token}/my-data").get_data(as_text=True)
    assert f"/l/{token}/consent" in my_data  # reached from the customer's "my data" page
    page = client.get(f"/l/{token}/consent?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert config.privacy_notice_version in html and "I agree" in html
    assert "name, phone, service address" in html  # the scope shown
    assert _link_consents(session, world.customer_id) == []  # only the agent's, so far

    for _ in range(2):  # a double tap records one consent
        sent = client.post(
            f"/l/{token}/consent", data={"notice_version": config.privacy_notice_version}
        )
        assert sent.status_code == 303 and "done=accepted" in sent.headers["Location"]
    [record] = _link_consents(session, world.customer_id)
    assert record.given and record.purposes == ["service"]
    assert record.scope and record.manner and record.recorded_at
    assert (record.notice_version, record.recorded_by_kind) == (
        config.privacy_notice_version,
        "customer",
    )
    after = client.get(f"/l/{token}/consent?lang=en").get_data(as_text=True)
    assert "You accepted this notice on" in after and "I agree" not in after


def test_prv_1_consent_json_is_idempotent_and_refuses_a_notice_not_shown(
    client, world, config, session
):
    token = _token(config, book_visit(client, world)["id"])
    state = client.get(f"/l/{token}/consent.json").get_json()
    assert state["notice_version"] == config.privacy_notice_version
    assert state["purposes"] == ["service"] and state["scope"] and state["manner"]
    assert state["consented"] is True  # the agent recorded verbal consent at registration
    assert state["accepted_this_notice"] is False

    stale = client.post(f"/l/{token}/consent.json", json={"notice_version": "1999-01"})
    assert stale.status_code == 409 and stale.get_json()["error_code"] == "notice_changed"
    empty = client.post(f"/l/{token}/consent.json", json={})
    assert empty.status_code == 422 and "notice_version" in empty.get_json()["details"]
    first = client.post(
        f"/l/{token}/consent.json", json={"notice_version": config.privacy_notice_version}
    )
    again = client.post(
        f"/l/{token}/consent.json", json={"notice_version": config.privacy_notice_version}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert first.get_json()["channel"] == "link"
    assert len(_link_consents(session, world.customer_id)) == 1
    assert client.get(f"/l/{token}/consent.json").get_json()["accepted_this_notice"] is True
    tampered = client.get(f"/l/{token}x/consent.json")
    assert tampered.status_code in (403, 404) and "error_code" in tampered.get_json()


# --- PRV-5 -------------------------------------------------------------------------------------


def test_prv_5_masked_appointment_page_views_are_logged_as_customer_link(
    client, world, config, session
):
    visit_id = book_visit(client, world)["id"]
    token = _token(config, visit_id)
    assert client.get(f"/l/{token}").status_code == 200
    assert client.get(f"/l/{token}/calendar.ics").status_code == 200
    session.expire_all()
    rows = session.scalars(
        select(AccessLogEntry)
        .where(
            AccessLogEntry.customer_id == world.customer_id,
            AccessLogEntry.actor_kind == "customer_link",
        )
        .order_by(AccessLogEntry.id)
    ).all()
    assert [(r.purpose, r.fields) for r in rows] == [
        (
            "customer link page (appointment)",
            ["customer.name:masked", "customer.phone:masked", "site.address:masked"],
        ),
        ("customer link page (calendar)", ["site.address:masked"]),
    ]
    assert all(r.record == "visit" and r.record_id == visit_id and r.action == "read" for r in rows)


# --- PRV-9 -------------------------------------------------------------------------------------

STATEMENT = "测试客户 (tel 138 0013 8000, +8613800138000) at 上海市徐汇区测试路100号: drum loud"


def test_prv_9_held_erasure_is_retried_by_the_worker_sweep_and_scrubs_complaint_text(
    client, world, config, session
):
    visit = book_visit(client, world)
    taken = ok(
        mobile(
            client,
            world,
            f"/visits/{visit['id']}/complaints",
            {"category": "after_sales", "nature": "soft", "description": STATEMENT},
        )
    )
    held = client.post(
        f"/api/v1/customers/{world.customer_id}/erasure", headers=world.auth("dispatcher")
    ).get_json()
    assert held["status"] == "held" and taken["number"] in held["held_reason"]
    assert sweeps.run_all(config)["held_erasures_retried"] == 0  # not due yet

    fixed = {"resolution": "Told 测试客户 the drum was fixed", "remedies": ["repair"]}
    ok(mobile(client, world, f"/complaints/{taken['id']}/on-spot", fixed))
    ok(complaint_step(client, world, taken, "follow-up", {"satisfied": True, "recurred": False}))
    feedback = {"customer_feedback": "Called 13800138000: 测试客户 is satisfied"}
    ok(complaint_step(client, world, taken, "close", feedback))

    later = datetime.now(UTC) + timedelta(hours=config.erasure_retry_hours, minutes=5)
    with time_machine.travel(later):
        assert sweeps.run_all(config)["held_erasures_retried"] == 1
        assert sweeps.run_all(config)["held_erasures_retried"] == 0
    session.expire_all()
    request = session.get(ErasureRequest, held["id"])
    assert request.status == "done" and request.retry_at is None
    complaint = session.get(Complaint, taken["id"])
    texts = (complaint.description, complaint.resolution, complaint.customer_feedback)
    for value in texts:
        assert "测试客户" not in value and "0013" not in value and "测试路100号" not in value
        assert "(erased)" in value
    assert complaint.description.endswith(": drum loud")  # the rest of the statement stays
    assert complaint.status == "closed"


def test_prv_9_a_hold_that_still_applies_waits_for_the_next_retry(client, world, config, session):
    visit = book_visit(client, world)
    taken = ok(
        mobile(
            client,
            world,
            f"/visits/{visit['id']}/complaints",
            {"category": "after_sales", "nature": "soft", "description": "Still squeaks"},
        )
    )
    held = client.post(
        f"/api/v1/customers/{world.customer_id}/erasure", headers=world.auth("dispatcher")
    ).get_json()
    first_retry = session.get(ErasureRequest, held["id"]).retry_at
    later = datetime.now(UTC) + timedelta(hours=config.erasure_retry_hours, minutes=5)
    with time_machine.travel(later):
        assert sweeps.run_all(config)["held_erasures_retried"] == 1  # tried: still held
        assert sweeps.run_all(config)["held_erasures_retried"] == 0
    session.expire_all()
    request = session.get(ErasureRequest, held["id"])
    assert request.status == "held" and taken["number"] in request.held_reason
    assert request.retry_at > first_retry
    customer = client.get(
        f"/api/v1/customers/{world.customer_id}", headers=world.auth("dispatcher")
    ).get_json()
    assert customer["name"] == "测试客户"


# --- PIPL art. 28: the check-in position ------------------------------------------------------


def _consent(client, headers, given: bool) -> None:
    reply = client.put(
        "/mobile/v1/location-consent",
        headers=headers | {"Idempotency-Key": new_key()},
        json={"given": given},
    )
    assert reply.status_code == 200


def test_pipl_28_checkin_position_is_kept_only_with_location_consent(client, world, session):
    without, with_consent = world.auth("tech_a"), world.auth("tech_b")
    _consent(client, with_consent, True)
    dropped_id = book_visit(client, world)["id"]
    kept_id = book_visit(client, world, tech="tech_b")["id"]
    walk_to_site(client, without, dropped_id, lat=31.1905, lon=121.4402)
    walk_to_site(client, with_consent, kept_id, lat=31.1906, lon=121.4403)
    session.expire_all()
    dropped, kept = session.get(Visit, dropped_id), session.get(Visit, kept_id)
    assert dropped.status == "on_site"  # the check-in itself worked
    assert (dropped.arrival_lat, dropped.arrival_lon) == (None, None)
    assert dropped.field_record.arrival_distance_m < 100  # the VCH-2 check made in passing
    assert (kept.arrival_lat, kept.arrival_lon) == (31.1906, 121.4403)


def test_pipl_28_withdrawn_consent_stops_keeping_checkin_positions(client, world, session):
    tech = world.auth("tech_a")
    _consent(client, tech, True)
    _consent(client, tech, False)
    visit_id = book_visit(client, world)["id"]
    assert act(client, tech, visit_id, "depart").status_code == 200
    assert act(client, tech, visit_id, "arrive", lat=31.19, lon=121.44).status_code == 200
    session.expire_all()
    assert session.get(Visit, visit_id).arrival_lat is None


def test_prv_9_int_15_erasure_clears_the_customers_waiting_web_form_request(client, world, session):
    """A request the customer sent on the public web form and no agent registered yet holds their
    name, phone and address: erasure clears them, replaces mentions in the text and takes the
    submission out of the queue, so nobody can register it afterwards."""
    from tests.intake.test_web_form import ask_code, submit, texted_code
    from tests.privacy.helpers import new_customer

    customer = new_customer(client, world, "Web Quokka", "13912345678")
    assert ask_code(client).status_code == 202
    sent = submit(
        client,
        texted_code(session),
        name="Web Quokka",
        fault_description="Web Quokka says the washer leaks",
    )
    assert sent.status_code == 201, sent.get_json()
    web_request_id = sent.get_json()["id"]
    erased = client.post(
        f"/api/v1/customers/{customer['id']}/erasure", headers=world.auth("dispatcher")
    )
    assert erased.status_code == 200 and erased.get_json()["status"] == "done", erased.get_json()
    row = session.execute(
        text(
            "SELECT status, phone, name, address, lat, fault_description FROM web_requests"
            " WHERE id = :i"
        ),
        {"i": web_request_id},
    ).one()
    assert (row.status, row.phone, row.name, row.address, row.lat) == (
        "erased",
        None,
        None,
        None,
        None,
    )
    assert "Quokka" not in row.fault_description and "washer leaks" in row.fault_description
    queue = client.get("/api/v1/web-requests", headers=world.auth("dispatcher")).get_json()
    assert queue["items"] == []
    refused = client.post(
        f"/api/v1/web-requests/{web_request_id}/register",
        headers=world.auth("dispatcher"),
        json={"service_class": "A"},
    )
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "web_request_done"


def test_prv_5_int_15_staff_reads_of_the_web_form_queue_are_logged(client, world, session):
    """The queue shows the submitter's name, phone and address before any customer exists:
    each staff read of them writes the access log, naming the submission and the fields."""
    from tests.intake.test_web_form import ask_code, submit, texted_code

    assert ask_code(client).status_code == 202
    sent = submit(client, texted_code(session))
    assert sent.status_code == 201, sent.get_json()
    listed = client.get("/api/v1/web-requests", headers=world.auth("dispatcher"))
    assert listed.status_code == 200 and len(listed.get_json()["items"]) == 1
    [entry] = session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.record == "web_request")
    ).all()
    assert (entry.record_id, entry.action, entry.actor_role, entry.customer_id) == (
        sent.get_json()["id"],
        "read",
        "dispatcher",
        None,
    )
    assert set(entry.fields) == {"web_request.name", "web_request.phone", "web_request.address"}
