"""After the decision: linked jobs and the service report, the customer's progress page, the
close rules, special notes that never reach customer pages, compensation (CMP-15, 18, 19, 20,
21, PRV-12)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from tests.builders import book_visit, next_workday_at, sms_link_token
from tests.complaints.helpers import (
    act,
    file_complaint,
    mobile,
    ok,
    open_case,
    plan,
    user_id,
)

FINDING = {"authentic": True, "severity": "general", "cause": "Seal worn through"}
DEADLINE = "2030-01-01T00:00:00Z"


def bodies(session) -> list[str]:
    return list(session.scalars(select(SmsMessage.body).order_by(SmsMessage.id)))


def progress_token(session, number: str) -> str:
    body = next(b for b in bodies(session) if number in b and "/c/" in b)
    return re.search(r"/c/(\S+)", body).group(1)


def test_cmp_15_hard_complaint_creates_linked_jobs_and_a_service_report(client, gworld):
    hard = file_complaint(client, gworld, nature="hard", category="product_quality")
    open_case(client, gworld, hard)
    job = {"kind": "inspection", "site_id": gworld.site_id, "fault_description": "Leaks again"}
    linked = ok(act(client, gworld, hard, "jobs", job))
    assert [(j["request_type"], j["status"]) for j in linked["jobs"]] == [
        ("inspection", "registered")
    ]
    repair = ok(act(client, gworld, hard, "jobs", job | {"kind": "repair"}))
    assert [j["request_type"] for j in repair["jobs"]] == ["inspection", "repair"]
    request = client.get(
        f"/api/v1/requests/{repair['jobs'][1]['request_id']}", headers=gworld.auth("dispatcher")
    ).get_json()
    assert (
        request["customer_id"] == gworld.customer_id
        and hard["number"] in request["fault_description"]
    )
    report = {"cause": "Worn seal batch", "fix": "New seal kit", "prevention": "Stock check"}
    reported = ok(act(client, gworld, hard, "service-report", report))
    assert (reported["report_cause"], reported["report_prevention"]) == (
        "Worn seal batch",
        "Stock check",
    )
    start = next_workday_at(10)
    booked = client.post(
        f"/api/v1/requests/{repair['jobs'][0]['request_id']}/visits",
        headers=gworld.auth("dispatcher"),
        json={
            "technician_id": gworld.technician_ids["tech_a"],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "duration_minutes": 60,
        },
    )
    assert booked.status_code == 201, booked.get_json()
    shown = ok(client.get(f"/api/v1/complaints/{hard['id']}", headers=gworld.auth("manager")))
    statuses = [(j["request_type"], j["status"]) for j in shown["jobs"]]
    assert statuses[1] == ("repair", "registered") and statuses[0][1] != "registered"
    head_office = ok(client.get("/api/v1/complaints/service-reports", headers=gworld.auth("gm")))
    assert [(r["number"], r["cause"], r["fix"]) for r in head_office] == [
        (hard["number"], "Worn seal batch", "New seal kit")
    ]
    assert [j["request_type"] for j in head_office[0]["jobs"]] == ["inspection", "repair"]
    soft = file_complaint(client, gworld)
    assert act(client, gworld, soft, "jobs", job).get_json()["error_code"] == "not_hard"
    assert act(client, gworld, soft, "service-report", report).status_code == 422


def test_cmp_18_customer_link_shows_a_limited_timeline_and_takes_the_answer(
    client, session, gworld
):
    complaint = file_complaint(client, gworld, nature="hard", category="product_quality")
    open_case(client, gworld, complaint)
    ok(act(client, gworld, complaint, "investigation", FINDING, who="handler"))
    ok(act(client, gworld, complaint, "plan", plan(session, None) | {"deadline": DEADLINE}))
    updates = [b for b in bodies(session) if complaint["number"] in b and "moved on" in b]
    assert len(updates) == 3  # case opened (with the reply), investigating, solution proposed
    assert "accepted for handling. We take your complaint up today" in updates[0]
    token = progress_token(session, complaint["number"])
    page = client.get(f"/c/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and complaint["number"] in html
    assert "solution proposed" in html and "Send a senior technician" in html
    assert FINDING["cause"] not in html and "Handler" not in html  # nothing internal
    answered = client.post(f"/c/{token}/answer", data={"accepted": "yes"})
    assert answered.status_code == 303
    detail = client.get(
        f"/api/v1/complaints/{complaint['id']}", headers=gworld.auth("manager")
    ).get_json()
    assert (detail["status"], detail["plan_accepted_via"]) == ("resolving", "link")
    assert client.get(f"/c/{token}x").status_code == 403  # a tampered link


def test_cmp_19_close_needs_follow_up_and_sends_the_feedback_to_the_customer(
    client, session, gworld
):
    visit = book_visit(client, gworld)
    taken = ok(
        mobile(
            client,
            gworld,
            f"/visits/{visit['id']}/complaints",
            {"category": "after_sales", "nature": "soft", "description": "Still squeaks"},
        )
    )
    fixed = {"resolution": "Greased the hinge", "remedies": ["repair"]}
    ok(mobile(client, gworld, f"/complaints/{taken['id']}/on-spot", fixed))
    feedback = {"customer_feedback": "Fixed on the spot; thank you for your patience"}
    assert act(client, gworld, taken, "close", feedback).status_code == 409  # no follow-up yet
    answer = {"satisfied": True, "recurred": False}
    ok(act(client, gworld, taken, "follow-up", answer))
    closed = ok(act(client, gworld, taken, "close", feedback))
    assert closed["status"] == "closed" and closed["resolution"] == "Greased the hinge"
    assert any(feedback["customer_feedback"] in b for b in bodies(session))
    token = progress_token(session, taken["number"])
    assert client.get(f"/c/{token}").status_code == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        assert client.get(f"/c/{token}").status_code == 410  # the link ends 30 days after closing


def test_cmp_20_prv_12_special_note_reaches_dispatchers_and_technician_never_customer_pages(
    client, session, gworld
):
    complaint = file_complaint(client, gworld)
    note = {"note": "Customer is very sensitive about noise; call before arriving"}
    created = client.post(
        f"/api/v1/complaints/{complaint['id']}/special-notes",
        headers=gworld.auth("dispatcher"),
        json=note,
    )
    assert created.status_code == 201
    later = book_visit(client, gworld)  # a later job of the same customer
    staff = client.get(
        f"/api/v1/complaints/customers/{gworld.customer_id}/special-notes",
        headers=gworld.auth("dispatcher"),
    )
    own = client.get(
        f"/mobile/v1/visits/{later['id']}/special-notes", headers=gworld.auth("tech_a")
    )
    other = client.get(
        f"/mobile/v1/visits/{later['id']}/special-notes", headers=gworld.auth("tech_b")
    )
    on_job = client.get(
        f"/api/v1/complaints/requests/{later['request_id']}/special-notes",
        headers=gworld.auth("dispatcher"),
    )
    assert [n["note"] for n in staff.get_json()] == [note["note"]]
    assert [n["note"] for n in on_job.get_json()] == [note["note"]]  # on the later job
    assert [n["note"] for n in own.get_json()] == [note["note"]] and other.status_code == 404
    appointment = next(b for b in bodies(session) if "/l/" in b)
    customer_pages = [
        client.get(f"/l/{sms_link_token(appointment)}"),
        client.get(f"/c/{progress_token(session, complaint['number'])}"),
    ]
    for page in customer_pages:
        assert page.status_code == 200
        assert "sensitive about noise" not in page.get_data(as_text=True)


def test_cmp_21_compensation_on_a_job_or_a_complaint_needs_an_approver(client, session, gworld):
    visit = book_visit(client, gworld)
    base = {"kind": "cash", "amount_cents": 20_000, "reason": "Second visit was missed"}
    on_job = base | {"request_id": visit["request_id"], "approver_id": user_id(session, "head")}
    path = "/api/v1/complaints/compensations"
    recorded = client.post(path, headers=gworld.auth("dispatcher"), json=on_job)
    assert recorded.status_code == 201
    assert (recorded.get_json()["kind"], recorded.get_json()["amount_cents"]) == ("cash", 20_000)
    by_handler = on_job | {"approver_id": user_id(session, "handler")}
    refused = client.post(path, headers=gworld.auth("dispatcher"), json=by_handler)
    assert refused.get_json()["error_code"] == "approver_invalid"
    complaint = file_complaint(client, gworld)
    both = on_job | {"complaint_id": complaint["id"]}
    assert client.post(path, headers=gworld.auth("dispatcher"), json=both).status_code == 422
    on_complaint = {k: v for k, v in both.items() if k != "request_id"}
    ok(client.post(path, headers=gworld.auth("dispatcher"), json=on_complaint))
    detail = client.get(
        f"/api/v1/complaints/{complaint['id']}", headers=gworld.auth("manager")
    ).get_json()
    assert detail["compensations"][0]["approver_id"] == user_id(session, "head")
    assert detail["severity"] == "major" and "compensation" in detail["major_triggers"]  # CMP-9
