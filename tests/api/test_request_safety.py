"""Issue 11: request bodies have limits (413/422, never 500), every answer carries security
headers and no-store, and logs never hold full phone numbers, link tokens or SQL parameters
(PRV-11, PRV-10)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from dispatch.db import db
from dispatch.notifications.gateway import ConsoleGateway
from dispatch.security import redact

PHONE = "+8613812345678"
LINK_TOKEN = "eyJqIjoiYWJjIiwicCI6ImNvbmZpcm0ifQ.Zk3-x_9Qw"
ERROR_KEYS = {"code", "status", "message", "error_code", "details"}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_a_body_above_the_maximum_size_is_a_413_in_the_error_shape(client, config):
    body = b'{"username": "' + b"a" * (config.max_request_bytes + 10) + b'", "password": "x"}'
    response = client.post(
        "/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert set(response.get_json()) == ERROR_KEYS
    assert response.get_json()["error_code"] == "payload_too_large"


@pytest.mark.parametrize("levels", [100_000, 40])
def test_deeply_nested_json_is_a_422_never_a_500(client, world, levels):
    for path, headers in (
        ("/api/v1/auth/login", {}),  # anonymous
        ("/api/v1/customers", world.auth("dispatcher")),
        ("/mobile/v1/auth/login", {}),
    ):
        response = client.post(
            path, data=_deep(levels), headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status_code == 422, (path, response.get_json())
        assert set(response.get_json()) == ERROR_KEYS


def test_ordinary_nesting_still_passes(client, world):
    response = client.post(
        "/api/v1/auth/login", json={"username": "dispatcher", "password": [[["x"]]]}
    )
    assert response.status_code == 422  # a schema error about the field, not the depth
    assert "password" in response.get_json()["details"]["fields"]["json"]


def test_prv_10_security_headers_on_pages_and_api_answers(client, world):
    pages = [
        client.get("/console/plans/1"),
        client.get("/api/v1/regions", headers=world.auth("dispatcher")),
        client.get("/l/not-a-token"),
        client.get("/health"),
    ]
    for response in pages:
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
    static = client.get("/static/web/console.js")
    assert static.status_code == 200 and static.headers["Cache-Control"] != "no-store"
    assert static.headers["X-Content-Type-Options"] == "nosniff"


def test_console_pages_hold_no_inline_script_or_style(client):
    for path in ("/console/plans/7", "/console/reports/sla"):
        page = client.get(path).get_data(as_text=True)
        assert "<script src=" in page
        assert "<script>" not in page and "style=" not in page and "innerHTML" not in page


def test_prv_11_console_sms_gateway_logs_no_full_phone_and_no_link_token(app, caplog, tmp_path):
    caplog.set_level(logging.INFO)
    inbox = tmp_path / "sms-inbox.txt"
    ConsoleGateway(inbox).send(
        PHONE, f"Confirm: http://127.0.0.1:5000/l/{LINK_TOKEN} call 13812345678", client_ref="r"
    )
    logged = caplog.text
    assert "SMS to" in logged
    assert PHONE not in logged and "13812345678" not in logged and LINK_TOKEN not in logged
    assert "*******5678" in logged and "/l/[redacted]" in logged
    # The stand-in phone keeps the whole text, readable by this user only, for opening links.
    assert f"/l/{LINK_TOKEN}" in inbox.read_text() and PHONE in inbox.read_text()
    assert inbox.stat().st_mode & 0o777 == 0o600


def test_prv_11_the_log_filter_applies_to_every_logger_and_argument(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('"GET /l/%s/confirm HTTP/1.1" 200 -', LINK_TOKEN)
    logging.getLogger("anything.else").warning("customer %s called", PHONE)
    assert LINK_TOKEN not in caplog.text and PHONE not in caplog.text
    assert redact("visit 118 at 2026-12-01 10:00") == "visit 118 at 2026-12-01 10:00"


def test_prv_11_sql_errors_carry_no_parameters_and_their_logs_no_phone(app, caplog):
    caplog.set_level(logging.INFO)
    with app.app_context():
        with pytest.raises(DBAPIError) as error:
            db.session.execute(text("SELECT CAST(:phone AS integer)"), {"phone": PHONE})
        db.session.rollback()
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(error.value)
    # PostgreSQL's own message still quotes the value: the log filter masks it
    logging.getLogger("dispatch.api.errors").info("value out of range: %s", error.value)
    assert "out of range" in caplog.text and PHONE not in caplog.text


def test_prv_10_only_the_api_docs_page_may_run_its_inline_start_script(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "script-src 'self' 'unsafe-inline'" in docs.headers["Content-Security-Policy"]
    assert docs.headers["X-Frame-Options"] == "DENY"
    page = client.get("/console/reports/sla")
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
