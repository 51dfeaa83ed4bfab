"""Issue 11: the console signs in with an HttpOnly, SameSite=Strict cookie that page scripts
cannot read, and every write through that cookie needs the double-submitted CSRF token (ROL-2)."""

from __future__ import annotations

from tests.builders import PASSWORD


def _set_cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def _sign_in(client, username: str = "dispatcher"):
    return client.post("/api/v1/auth/session", json={"username": username, "password": PASSWORD})


def test_rol_2_console_session_cookie_is_httponly_and_samesite_strict(client, world):
    response = _sign_in(client)
    assert response.status_code == 204
    cookies = _set_cookies(response)
    session_cookie = cookies["access_token_cookie"]
    assert "HttpOnly" in session_cookie and "SameSite=Strict" in session_cookie
    csrf_cookie = cookies["csrf_access_token"]  # readable by the page, on purpose
    assert "HttpOnly" not in csrf_cookie and "SameSite=Strict" in csrf_cookie
    assert "access_token" not in response.get_data(as_text=True)  # nothing for scripts


def test_rol_2_console_writes_need_the_csrf_token_reads_do_not(client, world):
    _sign_in(client, "manager")
    assert client.get("/api/v1/regions").status_code == 200  # the cookie alone reads
    ring = [[120.0, 30.1], [120.4, 30.1], [120.4, 30.4], [120.0, 30.4]]
    region = {"code": "HZ", "name": "Hangzhou", "polygon": ring}
    forged = client.post("/api/v1/regions", json=region)  # a cross-site form would do this
    assert forged.status_code == 401
    assert set(forged.get_json()) == {"code", "status", "message", "error_code", "details"}
    csrf = client.get_cookie("csrf_access_token").value
    wrong = client.post("/api/v1/regions", json=region, headers={"X-CSRF-TOKEN": "guess"})
    assert wrong.status_code == 401
    allowed = client.post("/api/v1/regions", json=region, headers={"X-CSRF-TOKEN": csrf})
    assert allowed.status_code == 201, allowed.get_json()


def test_rol_2_console_logout_ends_the_session_and_clears_the_cookies(client, world):
    _sign_in(client)
    csrf = client.get_cookie("csrf_access_token").value
    token = client.get_cookie("access_token_cookie").value
    response = client.delete("/api/v1/auth/session", headers={"X-CSRF-TOKEN": csrf})
    assert response.status_code == 204
    assert client.get_cookie("access_token_cookie") is None
    stolen = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert stolen.status_code == 401  # a copy of the cookie no longer works either
