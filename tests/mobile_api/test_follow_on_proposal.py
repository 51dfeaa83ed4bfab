"""A technician proposes a follow-on appointment; only the customer (by link) or an agent on
the customer's behalf confirms it (APT-4, APT-3)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit
from tests.builders import book_visit, next_workday_at, sms_link_token
from tests.mobile_api.helpers import act, now_iso, walk_to_site


def window(days_ahead: int = 3) -> dict:
    start = next_workday_at(14, days_ahead=days_ahead)
    return {
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=2)).isoformat(),
    }


def propose(client, tech, visit_id: int, key: str | None = None, **body):
    return act(client, tech, visit_id, "follow-on", key=key, **(window() | body))


def test_apt_4_a_technician_proposes_a_follow_on_that_stays_proposed(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    reply = propose(client, tech, visit, kind="installation", note="Bring the wall bracket")
    assert reply.status_code == 201, reply.get_json()
    follow_on = reply.get_json()
    assert (follow_on["appointment_status"], follow_on["appointment_kind"]) == (
        "proposed",
        "installation",
    )
    assert follow_on["follow_up_of_id"] == visit
    ask = session.scalars(
        select(SmsMessage).where(
            SmsMessage.template == "appointment_confirm", SmsMessage.visit_id == follow_on["id"]
        )
    ).one()
    assert "/l/" in ask.body
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "visit.follow_on_proposed")
    ).one()
    assert (entry.actor_kind, entry.actor_role, entry.entity_id) == (
        "user",
        "technician",
        follow_on["id"],
    )
    detail = client.get(f"/api/v1/visits/{follow_on['id']}", headers=world.auth("dispatcher"))
    assert detail.get_json()["appointment_status"] == "proposed"


def test_apt_4_the_technician_cannot_confirm_but_the_customer_can_by_link(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    follow_on = propose(client, tech, visit).get_json()
    refused = client.post(f"/api/v1/visits/{follow_on['id']}/confirm", headers=tech)
    assert refused.status_code in (401, 403)
    mobile = client.post(f"/mobile/v1/visits/{follow_on['id']}/confirm", headers=tech)
    assert mobile.status_code in (404, 405)  # the app has no way to confirm
    body = session.scalars(
        select(SmsMessage.body).where(
            SmsMessage.template == "appointment_confirm", SmsMessage.visit_id == follow_on["id"]
        )
    ).one()
    assert client.post(f"/l/{sms_link_token(body)}/confirm").status_code == 303
    detail = client.get(
        f"/api/v1/visits/{follow_on['id']}", headers=world.auth("dispatcher")
    ).get_json()
    assert (detail["appointment_status"], detail["confirmed_via"], detail["confirmed_by_id"]) == (
        "confirmed",
        "customer",
        None,
    )


def test_apt_4_an_agent_confirms_the_follow_on_for_the_customer(client, world):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    follow_on = propose(client, tech, visit).get_json()
    confirmed = client.post(
        f"/api/v1/visits/{follow_on['id']}/confirm", headers=world.auth("dispatcher")
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    assert (confirmed.get_json()["appointment_status"], confirmed.get_json()["confirmed_via"]) == (
        "confirmed",
        "agent",
    )
    again = propose(client, tech, visit, **window(days_ahead=5))
    assert again.status_code == 201  # the confirmed one no longer blocks a further proposal


def test_apt_4_a_retried_proposal_with_its_key_creates_one_appointment(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    url, body = f"/mobile/v1/visits/{visit}/follow-on", {"device_time": now_iso()} | window()
    first = client.post(url, headers=tech | {"Idempotency-Key": "follow-on-1"}, json=body)
    retry = client.post(url, headers=tech | {"Idempotency-Key": "follow-on-1"}, json=body)
    assert first.status_code == retry.status_code == 201
    assert first.get_json()["id"] == retry.get_json()["id"]
    second = propose(client, tech, visit, key="follow-on-2")
    assert second.status_code == 409 and second.get_json()["error_code"] == "follow_on_pending"
    without_key = client.post(url, headers=tech | {"Idempotency-Key": None}, json=body)
    assert without_key.status_code == 428


def test_apt_4_only_from_the_site_of_my_own_visit(client, world):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    before = propose(client, tech, visit)
    assert before.status_code == 409 and before.get_json()["error_code"] == "visit_not_on_site"
    walk_to_site(client, tech, visit)
    assert propose(client, world.auth("tech_b"), visit).status_code == 404
    backwards = window() | {"window_end": window()["window_start"]}
    assert propose(client, tech, visit, **backwards).status_code == 422


def test_apt_4_leaving_unfinished_keeps_the_follow_on_the_technician_proposed(
    client, world, session
):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    proposed = propose(client, tech, visit, kind="repair").get_json()
    assert act(client, tech, visit, "unable", reason="needs_parts").status_code == 200
    follow_ons = session.scalars(select(Visit.id).where(Visit.follow_up_of_id == visit)).all()
    assert follow_ons == [proposed["id"]]  # no second one
    told = session.scalars(select(SmsMessage).where(SmsMessage.template == "job_on_hold")).one()
    assert told.visit_id == proposed["id"]
