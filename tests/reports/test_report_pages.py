"""The console's report page (RPT-2, RPT-5): a server-drawn chart, the table and the CSV link,
in headless Chromium under the console's CSP."""

from dispatch.db import session_scope
from tests.builders import PASSWORD
from tests.reports.facts import at, build_facts


def wait_for_chart(page, report: str) -> None:
    """Wait until the chart image of `report` has loaded (polling: the CSP forbids eval)."""
    chart = page.locator("#chart")
    for _ in range(100):
        src, width = chart.evaluate("img => [img.src, img.complete ? img.naturalWidth : 0]")
        if report in src and width > 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the {report} chart never loaded")


def test_report_page_shows_complaint_kpis_and_the_demand_map_RPT_2_RPT_5(
    client, live_server, desktop_page, screenshot
):
    facts = build_facts(client)
    with session_scope() as s:
        customer, north, _ = facts.customer(s, "N", lat=31.31, lon=121.41)
        _, south, _ = facts.customer(s, "S", lat=31.01, lon=121.41)
        for day in (1, 2, 3):
            facts.request(s, north, registered=at(day))
        facts.request(s, south, registered=at(4))
        facts.complaint(s, customer.id, "N", received=at(1), resolved_at=at(1, 6))
        facts.complaint(s, customer.id, "S", received=at(2))
    page = desktop_page
    page.goto(f"{live_server}/console/reports")
    page.fill("input[name=username]", "quality")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#report:not(.hidden)")
    page.fill("input[name=month]", "2026-03")
    page.select_option("select[name=by]", "region")
    page.click("#choice button[type=submit]")
    page.wait_for_selector("#rows tbody tr:nth-child(2)")
    cells = page.locator("#rows tbody tr").first.locator("td").all_text_contents()
    assert cells[:3] == ["N", "6", "1"]  # region, then avg_handling_hours, complaints
    wait_for_chart(page, "complaints")
    assert "format=csv" in page.get_attribute("#csv", "href")
    screenshot(page, "report-complaints-by-region")
    page.select_option("select[name=report]", "requests/demand")
    page.click("#choice button[type=submit]")
    wait_for_chart(page, "demand")
    assert page.locator("#rows tbody tr").count() == 2  # two map cells
    path = screenshot(page, "report-demand-map")
    assert path.stat().st_size > 5000
