"""The opinion box under the customer's link pages, in a real headless Chromium (FUP-11)."""

from sqlalchemy import select

from dispatch.opinions.models import Opinion
from tests.builders import book_visit
from tests.web.test_customer_pages_browser import latest_link


def test_fup_11_customer_sends_an_opinion_from_the_link_page_and_reads_the_reply(
    client, world, session, run_worker, live_server, browser_page, screenshot
):
    book_visit(client, world)
    run_worker()
    token = latest_link(session, "appointment_confirm")
    page = browser_page
    page.goto(f"{live_server}/l/{token}?lang=en")
    page.select_option("#opinion-category", "pricing")
    page.fill("#opinion-text", "Please send the price list before the visit")
    page.click("#send-opinion")
    page.wait_for_selector("#opinion-sent")
    assert "Please send the price list before the visit" in page.inner_text("#opinions")
    opinion = session.scalars(select(Opinion)).one()
    assert (opinion.category, opinion.department, opinion.source) == ("pricing", "finance", "link")
    reply = client.post(
        f"/api/v1/opinions/{opinion.id}/replies",
        headers=world.auth("dispatcher") | {"Idempotency-Key": "browser-reply"},
        json={"text": "The price list is on its way by SMS"},
    )
    assert reply.status_code == 201, reply.get_json()
    page.goto(f"{live_server}/l/{token}?lang=zh_CN")
    assert "我们的答复" in page.inner_text("#opinions")
    assert "The price list is on its way by SMS" in page.inner_text(".opinion-reply")
    assert screenshot(page, "opinion-replied").stat().st_size > 5_000
