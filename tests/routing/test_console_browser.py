"""The dispatcher watches a plan's progress and sees its routes on a map (real Chromium)."""

from tests.builders import PASSWORD
from tests.routing.day import visit_at


def test_console_shows_progress_then_the_routes_on_a_map(
    client, day, run_worker, live_server, desktop_page, screenshot
):
    for i in range(8):
        visit_at(client, day, 31.19 + 0.012 * i, 121.42 + 0.015 * (i % 4), 9 + i % 5, 12 + i % 5)
    visit_at(client, day, 31.2, 121.45, 10, 12, skill="aircon")  # nobody can take it
    plan = client.post(
        "/api/v1/plans",
        headers=day.auth("dispatcher"),
        json={"region_id": day.region_id, "day": "2026-12-01", "time_limit_s": 1},
    )
    page = desktop_page
    page.goto(f"{live_server}/console/plans/{plan.get_json()['id']}")
    page.fill("input[name=username]", "dispatcher")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#state:has-text('queued')")
    run_worker()  # the planner runs while the page polls
    page.wait_for_selector("#state:has-text('ready · 100%')", timeout=15_000)
    routes = page.locator("polyline.route").count()
    assert routes >= 1
    assert page.locator("circle.stop").count() == 8
    assert page.locator("text.unassigned").count() == 1
    assert "no vehicle with skill" in page.inner_text("#unassigned")
    assert "Tech A" in page.inner_text("#legend") or "Tech C" in page.inner_text("#legend")
    assert screenshot(page, "console-plan-map").stat().st_size > 10_000
    page.click("#accept")
    page.wait_for_selector("#state:has-text('accepted')")
