"""Login per device; refresh tokens rotate per device; logout revokes the device's tokens."""

from __future__ import annotations

from tests.builders import PASSWORD


def _login(client, device_id: str) -> dict:
    response = client.post(
        "/mobile/v1/auth/login",
        json={"username": "tech_a", "password": PASSWORD, "device_id": device_id},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _today(client, tokens: dict) -> int:
    return client.get(
        "/mobile/v1/visits/today", headers=_bearer(tokens["access_token"])
    ).status_code


def _refresh(client, tokens: dict):
    return client.post("/mobile/v1/auth/refresh", headers=_bearer(tokens["refresh_token"]))


def test_logout_revokes_only_that_devices_tokens(client, world):
    phone, tablet = _login(client, "phone-1"), _login(client, "tablet-1")
    response = client.post("/mobile/v1/auth/logout", headers=_bearer(phone["access_token"]))
    assert response.status_code == 204
    for request in (
        client.get("/mobile/v1/visits/today", headers=_bearer(phone["access_token"])),
        _refresh(client, phone),
    ):
        assert request.status_code == 401
        assert request.get_json()["error_code"] == "token_revoked"
    assert _today(client, tablet) == 200
    assert _refresh(client, tablet).status_code == 200


def test_refresh_token_rotates_and_a_reused_one_ends_the_session(client, world):
    first = _login(client, "phone-2")
    second = _refresh(client, first)
    assert second.status_code == 200
    fresh = second.get_json()
    assert _today(client, fresh) == 200
    reused = _refresh(client, first)  # a stolen copy of the old refresh token
    assert reused.status_code == 401 and reused.get_json()["error_code"] == "token_revoked"
    # Reuse means someone else holds a copy: the whole device session ends.
    assert _refresh(client, fresh).status_code == 401
    assert _today(client, fresh) == 401


def test_logging_in_again_on_the_same_device_ends_the_earlier_session(client, world):
    old, new = _login(client, "phone-3"), _login(client, "phone-3")
    assert _today(client, old) == 401
    assert _today(client, new) == 200


def test_an_access_token_cannot_refresh(client, world):
    tokens = _login(client, "phone-4")
    response = client.post("/mobile/v1/auth/refresh", headers=_bearer(tokens["access_token"]))
    assert response.status_code == 401


def test_login_needs_a_device_id(client, world):
    response = client.post(
        "/mobile/v1/auth/login", json={"username": "tech_a", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert "device_id" in response.get_json()["details"]["fields"]["json"]
