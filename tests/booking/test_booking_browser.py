"""A customer confirms, then reschedules, from the SMS link in a real phone-sized Chromium."""

from tests.booking.morning import book
from tests.routing.day import local


def test_customer_confirms_then_reschedules_in_browser(
    client, morning, run_worker, sms, live_server, browser_page, screenshot
):
    booked = book(client, morning, local(14, 30), local(16, 30))
    assert booked.status_code == 201, booked.get_json()
    run_worker()
    link = next(m.body for m in sms.sent if "Please confirm" in m.body).rsplit("/l/", 1)[1]
    page = browser_page
    page.goto(f"{live_server}/l/{link}?lang=en")
    page.click("#confirm")
    page.wait_for_selector("#confirmed-notice")
    assert page.inner_text("#status") == "confirmed"
    assert screenshot(page, "appointment-confirmed-before-move").stat().st_size > 5_000
    page.click("#reschedule")
    page.wait_for_selector("input[name=window]")
    first = page.locator("fieldset.choices label").first
    new_window = first.inner_text().strip()
    first.click()
    assert screenshot(page, "reschedule-choices").stat().st_size > 5_000
    page.click("#move")
    page.wait_for_selector("#rescheduled-notice")
    assert page.inner_text("#window") == new_window
    assert page.inner_text("#status") == "confirmed"
    shot = screenshot(page, "appointment-rescheduled")
    assert shot.exists() and shot.stat().st_size > 5_000
