"""The public request form in a real headless Chromium on a phone-sized screen (INT-15)."""

from __future__ import annotations

import re

from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from dispatch.webform.models import WebRequest


def test_int_15_a_customer_confirms_the_phone_by_sms_code_and_submits_in_browser(
    client, world, session, live_server, browser_page, screenshot
):
    page = browser_page
    page.goto(f"{live_server}/r/new?lang=en")
    assert page.inner_text("h1") == "Request a service"
    page.fill("#phone", "139 1234 5678")
    page.click("#send-code")
    page.wait_for_selector("#code-sent")
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "web_form_code")
    ).one()
    code = re.search(r"\b(\d{6})\b", body).group(1)
    page.fill("#code", code)
    page.fill("#name", "Li Hua")
    page.fill("#address", "上海市徐汇区漕溪北路88号")
    page.select_option("#category", "appliance")
    page.fill("#product_model", "KX-2200")
    page.fill("#fault_description", "Washer leaks during the spin cycle")
    page.fill("#preferred_time", "Saturday morning")
    assert "2026-01" in page.inner_text("#privacy-notice")
    page.check("#privacy_consent")
    screenshot(page, "request-form")
    page.click("#submit-request")
    page.wait_for_selector("#received")
    reference = page.inner_text("#reference")
    session.expire_all()
    stored = session.scalars(select(WebRequest)).one()
    assert reference == f"W{stored.id}"
    assert (stored.name, stored.fault_description, stored.language) == (
        "Li Hua",
        "Washer leaks during the spin cycle",
        "en",
    )
    assert stored.consent_notice_version == "2026-01" and stored.region_id == world.region_id
    queue = client.get("/api/v1/web-requests", headers=world.auth("dispatcher")).get_json()
    assert [item["id"] for item in queue["items"]] == [stored.id]


def test_int_15_the_form_speaks_chinese_and_a_wrong_code_is_refused_in_browser(
    client, world, session, live_server, browser_page
):
    page = browser_page
    page.goto(f"{live_server}/r/new?lang=zh_CN")
    assert page.inner_text("h1") == "申请服务"
    page.fill("#phone", "13912345679")
    page.click("#send-code")
    page.wait_for_selector("#code-sent")
    assert "验证码" in page.inner_text("#code-sent")
    page.fill("#code", "111111" if "000000" in _texted(session) else "000000")
    page.fill("#name", "李华")
    page.fill("#address", "上海市徐汇区漕溪北路88号")
    page.fill("#fault_description", "洗衣机漏水")
    page.check("#privacy_consent")
    page.click("#submit-request")
    page.wait_for_selector("#link-error")
    assert "验证码错误" in page.content()
    assert session.scalars(select(WebRequest)).all() == []


def _texted(session) -> str:
    return session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "web_form_code")
    ).one()
