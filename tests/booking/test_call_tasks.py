"""Call tasks: a cancellation by link keeps the job and asks for a call to resolve the reason;
a proposal still unconfirmed after the configured time becomes a call task (APT-5, APT-7)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch import sweeps
from dispatch.notifications.models import SmsMessage
from tests.booking.morning import book
from tests.builders import login, sms_link_token
from tests.routing.day import local


def link_token(session, visit_id: int) -> str:
    body = session.scalars(
        select(SmsMessage.body).where(
            SmsMessage.template == "appointment_confirm", SmsMessage.visit_id == visit_id
        )
    ).one()
    return sms_link_token(body)


def test_apt_5_cancellation_by_link_keeps_the_job_and_opens_a_call_task(client, morning, session):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    page = client.get(f"/l/{link_token(session, visit['id'])}?lang=en").get_data(as_text=True)
    cancel_url = page.split('id="cancel" class="danger" href="', 1)[1].split('"', 1)[0]
    reply = client.post(cancel_url + "/cancel", data={"reason": "Working late that day"})
    assert reply.status_code == 200
    staff = morning.auth("dispatcher")
    request = client.get(f"/api/v1/requests/{visit['request_id']}", headers=staff).get_json()
    assert request["status"] == "registered"  # not dropped: it waits to be booked again
    tasks = client.get("/api/v1/call-tasks", headers=staff).get_json()
    assert [(t["visit_id"], t["kind"], t["reason"]) for t in tasks] == [
        (visit["id"], "cancellation", "Working late that day")
    ]
    done = client.post(
        f"/api/v1/call-tasks/{tasks[0]['id']}/resolve",
        headers=staff,
        json={"outcome": "Booked Saturday instead"},
    )
    assert done.status_code == 200 and done.get_json()["resolved_at"]
    assert client.get("/api/v1/call-tasks", headers=staff).get_json() == []
    again = client.post(
        f"/api/v1/call-tasks/{tasks[0]['id']}/resolve", headers=staff, json={"outcome": "x2"}
    )
    assert again.status_code == 409


def test_apt_5_staff_cancellation_still_cancels_the_job(client, morning):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    staff = morning.auth("dispatcher")
    reply = client.post(
        f"/api/v1/visits/{visit['id']}/cancel", headers=staff, json={"reason": "Customer called"}
    )
    assert reply.status_code == 200
    request = client.get(f"/api/v1/requests/{visit['request_id']}", headers=staff).get_json()
    assert request["status"] == "cancelled"
    assert client.get("/api/v1/call-tasks", headers=staff).get_json() == []


def test_apt_7_unconfirmed_proposal_becomes_one_call_task_after_the_configured_time(
    client, morning, config
):
    waiting = book(client, morning, local(14, 30), local(16, 30)).get_json()
    agreed = book(client, morning, local(10, 30), local(12, 30)).get_json()
    staff = morning.auth("dispatcher")
    assert client.post(f"/api/v1/visits/{agreed['id']}/confirm", headers=staff).status_code == 200
    morning.clock.move_to(local(7) + timedelta(hours=config.proposal_call_after_hours - 1))
    assert sweeps.run_all(config)["proposal_calls"] == 0
    morning.clock.move_to(local(7, 5) + timedelta(hours=config.proposal_call_after_hours))
    assert sweeps.run_all(config)["proposal_calls"] == 1
    assert sweeps.run_all(config)["proposal_calls"] == 0  # one task per proposal
    morning.tokens["dispatcher"] = login(client, "dispatcher")
    tasks = client.get("/api/v1/call-tasks", headers=morning.auth("dispatcher")).get_json()
    assert [(t["visit_id"], t["kind"]) for t in tasks] == [(waiting["id"], "unconfirmed_proposal")]
