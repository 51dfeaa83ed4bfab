"""Issue 11, stored script: a technician named like markup shows as text on the dispatcher's
plan page; no script of the page's data runs, and the page never holds a token (real Chromium)."""

from __future__ import annotations

from dispatch.technicians.models import Technician
from tests.builders import PASSWORD
from tests.routing.day import plan, visit_at

PAYLOAD = "<img src=x onerror=\"document.title='pwned:'+document.cookie\">"


def test_technician_named_like_markup_runs_nothing_in_the_console(
    client,
    day,
    session,
    run_worker,
    live_server,
    desktop_page,
):
    for technician in session.query(Technician):
        technician.name = PAYLOAD
    session.commit()
    for i in range(3):
        visit_at(client, day, 31.19 + 0.012 * i, 121.42 + 0.015 * i, 9 + i, 12 + i)
    planned = plan(client, day, run_worker)
    assert any(route["technician"] == PAYLOAD for route in planned["result"]["routes"])

    page = desktop_page
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(f"{live_server}/console/plans/{planned['id']}")
    page.fill("input[name=username]", "dispatcher")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#legend tr")
    page.wait_for_timeout(300)  # let a broken image's onerror fire, if there were one

    assert PAYLOAD in page.inner_text("#legend")  # shown as text
    assert page.locator("#legend img").count() == 0
    assert "pwned" not in page.title()
    # the session cookie is HttpOnly: nothing a script could read holds a token
    assert "access_token_cookie" not in page.evaluate("document.cookie")
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    # the page itself runs no inline script: CSP would have refused it (and said so)
    assert not [text for text in violations if "Content Security Policy" in text]


def test_csp_refuses_a_script_injected_into_the_page(client, world, live_server, desktop_page):
    page = desktop_page
    page.goto(f"{live_server}/console/reports/sla")
    page.wait_for_selector("#login")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = "document.title = 'ran'";
                   document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.title() != "ran"
