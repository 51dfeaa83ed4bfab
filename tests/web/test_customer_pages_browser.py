"""The customer's SMS-link pages in a real headless Chromium on a phone-sized screen."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit
from tests.builders import book_visit, signature_b64, sms_link_token
from tests.mobile_api.helpers import RECORD


def latest_link(session, template: str) -> str:
    body = session.scalars(
        select(SmsMessage.body)
        .where(SmsMessage.template == template)
        .order_by(SmsMessage.id.desc())
    ).first()
    return sms_link_token(body)


def test_customer_confirms_appointment_in_browser(
    client, world, session, run_worker, live_server, browser_page, screenshot
):
    visit = book_visit(client, world)
    run_worker()
    token = latest_link(session, "appointment_confirm")
    page = browser_page
    page.goto(f"{live_server}/l/{token}?lang=en")
    assert page.inner_text("#phone") == "138****8000"
    assert "13800138000" not in page.content()
    page.click("#confirm")
    page.wait_for_selector("#confirmed-notice")
    assert page.inner_text("#status") == "confirmed"
    shot = screenshot(page, "appointment-confirmed")
    assert shot.stat().st_size > 5_000
    session.expire_all()
    assert session.get(Visit, visit["id"]).appointment.status == "confirmed"
    page.goto(f"{live_server}/l/{token}?lang=zh_CN")
    assert page.inner_text("#status") == "已确认"


def test_customer_rates_the_visit_in_browser(
    client, world, session, run_worker, live_server, browser_page, screenshot
):
    visit = book_visit(client, world)
    tech = world.auth("tech_a")
    for action in ("depart", "arrive"):
        client.post(
            f"/mobile/v1/visits/{visit['id']}/{action}",
            headers=tech,
            json={"device_time": datetime.now(UTC).isoformat()},
        )
    client.post(
        f"/mobile/v1/visits/{visit['id']}/complete",
        headers=tech,
        json={
            "device_time": datetime.now(UTC).isoformat(),
            "service_content": "Cleaned the filter",
            **RECORD,
            "signature": {"signer_name": "Chen", "image": signature_b64()},
        },
    )
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=25)):
        run_worker()  # the follow-up is due by now at the latest
    token = latest_link(session, "followup_survey")
    page = browser_page
    page.goto(f"{live_server}/l/{token}?lang=en")
    page.click("label[for=star4]")
    page.fill("textarea[name=comment]", "Friendly and quick")
    screenshot(page, "followup-form")
    page.click("#send-rating")
    page.wait_for_selector("#thanks")
    assert "4 / 5" in page.inner_text("#thanks")
    assert screenshot(page, "followup-thanks").stat().st_size > 5_000
    session.expire_all()
    assert session.get(Visit, visit["id"]).rating == 4
