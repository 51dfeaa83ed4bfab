"""PRV-11: customer links are signed, single-purpose, expiring and revocable."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from dispatch.clock import utcnow
from dispatch.links import service as links
from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit
from tests.builders import book_visit, sms_link_token


def appointment_token(session, run_worker) -> str:
    run_worker()
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).first()
    return sms_link_token(body)


def test_confirming_twice_confirms_once(client, world, session, run_worker, sms):
    visit = book_visit(client, world)
    token = appointment_token(session, run_worker)
    assert client.post(f"/l/{token}/confirm").status_code == 303
    assert client.post(f"/l/{token}/confirm").status_code == 303
    run_worker()
    assert [m.template for m in session.scalars(select(SmsMessage))].count(
        "appointment_confirmed"
    ) == 1
    assert session.get(Visit, visit["id"]).appointment.status == "confirmed"


def test_tampered_link_is_refused_and_changes_nothing(client, world, session, run_worker):
    visit = book_visit(client, world)
    token = appointment_token(session, run_worker)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.get(f"/l/{forged}").status_code == 403
    assert client.post(f"/l/{forged}/confirm").status_code == 403
    assert session.get(Visit, visit["id"]).appointment.status == "proposed"


def test_expired_link_is_410(client, world, session, run_worker):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    with time_machine.travel(utcnow() + timedelta(days=7)):
        page = client.get(f"/l/{token}?lang=en")
        assert page.status_code == 410 and "expired" in page.get_data(as_text=True)
        assert "此链接已过期" in client.get(f"/l/{token}?lang=zh_CN").get_data(as_text=True)
        assert client.post(f"/l/{token}/confirm").status_code == 410


def test_revoked_link_is_refused(client, world, session, run_worker):
    visit = book_visit(client, world)
    token = appointment_token(session, run_worker)
    links.revoke_for_visit(session, visit["id"], "appointment")
    session.commit()
    assert client.post(f"/l/{token}/confirm").status_code == 403


def test_appointment_link_cannot_rate(client, world, session, run_worker):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    assert client.post(f"/l/{token}/rate", data={"rating": "5"}).status_code == 403


def test_garbage_token_gets_a_friendly_page(client):
    page = client.get("/l/not-a-token")
    assert page.status_code == 403 and "link-error" in page.get_data(as_text=True)


def test_page_speaks_the_customers_language_and_can_switch(client, world, session, run_worker):
    book_visit(client, world)  # the world's customer prefers English
    token = appointment_token(session, run_worker)
    assert "Confirm this appointment" in client.get(f"/l/{token}").get_data(as_text=True)
    assert "确认预约" in client.get(f"/l/{token}?lang=zh_CN").get_data(as_text=True)
