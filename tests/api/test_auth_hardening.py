"""Issue 11, auth hardening: every token is bound to a login session (staff and technicians),
refresh tokens rotate with reuse detection and stay at their own door, logout ends a session,
wrong passwords lock an account for a while, and refusals all look alike (ROL-2)."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import jwt
from flask_jwt_extended import create_access_token
from sqlalchemy import select

from dispatch.api.limits import limiter
from dispatch.clock import utcnow
from dispatch.config import activate
from dispatch.users.models import User
from tests.builders import PASSWORD


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _staff_login(client, username: str = "dispatcher", password: str = PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def _mobile_login(client, username: str = "tech_a", device_id: str = "phone-h"):
    return client.post(
        "/mobile/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device_id},
    )


def _can_read_regions(client, token: str) -> int:
    return client.get("/api/v1/regions", headers=_bearer(token)).status_code


def test_rol_2_mobile_refresh_token_is_refused_at_the_staff_refresh(client, world):
    mobile = _mobile_login(client).get_json()
    response = client.post("/api/v1/auth/refresh", headers=_bearer(mobile["refresh_token"]))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == "wrong_token_channel"
    # and the other way round: a staff refresh token does not work for the app
    staff = _staff_login(client).get_json()
    response = client.post("/mobile/v1/auth/refresh", headers=_bearer(staff["refresh_token"]))
    assert response.status_code == 403


def test_rol_2_staff_refresh_rotates_and_a_reused_token_ends_the_session(client, world):
    first = _staff_login(client).get_json()
    second = client.post("/api/v1/auth/refresh", headers=_bearer(first["refresh_token"]))
    assert second.status_code == 200, second.get_json()
    fresh = second.get_json()
    assert fresh["refresh_token"] != first["refresh_token"]
    assert _can_read_regions(client, fresh["access_token"]) == 200
    reused = client.post("/api/v1/auth/refresh", headers=_bearer(first["refresh_token"]))
    assert reused.status_code == 401 and reused.get_json()["error_code"] == "token_revoked"
    # the whole family is revoked: the fresh tokens too
    again = client.post("/api/v1/auth/refresh", headers=_bearer(fresh["refresh_token"]))
    assert again.status_code == 401
    assert _can_read_regions(client, fresh["access_token"]) == 401
    assert _can_read_regions(client, first["access_token"]) == 401


def test_rol_2_staff_logout_revokes_the_sessions_access_and_refresh_tokens(client, world):
    tokens, other = _staff_login(client).get_json(), _staff_login(client).get_json()
    response = client.post("/api/v1/auth/logout", headers=_bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert _can_read_regions(client, tokens["access_token"]) == 401
    refresh = client.post("/api/v1/auth/refresh", headers=_bearer(tokens["refresh_token"]))
    assert refresh.status_code == 401
    assert _can_read_regions(client, other["access_token"]) == 200  # another login lives on


def test_rol_2_technician_token_from_the_staff_login_does_not_open_the_mobile_api(client, world):
    staff_door = _staff_login(client, "tech_a").get_json()
    response = client.get("/mobile/v1/visits/today", headers=_bearer(staff_door["access_token"]))
    assert response.status_code == 403
    assert response.get_json()["error_code"] == "wrong_token_channel"
    app_door = _mobile_login(client).get_json()
    response = client.get("/mobile/v1/visits/today", headers=_bearer(app_door["access_token"]))
    assert response.status_code == 200


def test_rol_2_token_signed_with_the_key_but_bound_to_no_session_is_refused(app, client, world):
    with app.app_context():
        forged = create_access_token(identity="1", additional_claims={"role": "admin"})
    response = client.post(
        "/api/v1/users",
        headers=_bearer(forged),
        json={"username": "mallory", "password": "x" * 12, "full_name": "M", "role": "admin"},
    )
    assert response.status_code == 401
    assert response.get_json()["error_code"] == "token_revoked"


def test_rol_2_staff_refresh_token_lasts_one_working_day(client, world, config):
    tokens = _staff_login(client).get_json()
    claims = jwt.decode(tokens["refresh_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == config.staff_refresh_hours * 3600 == 12 * 3600


def test_rol_2_mobile_login_answers_staff_credentials_like_wrong_ones(client, world):
    staff = client.post(
        "/mobile/v1/auth/login",
        json={"username": "dispatcher", "password": PASSWORD, "device_id": "dev-x"},
    )
    wrong = client.post(
        "/mobile/v1/auth/login",
        json={"username": "dispatcher", "password": "not-it", "device_id": "dev-x"},
    )
    unknown = client.post(
        "/mobile/v1/auth/login",
        json={"username": "nobody", "password": "not-it", "device_id": "dev-x"},
    )
    assert staff.status_code == wrong.status_code == unknown.status_code == 401
    assert staff.get_json() == wrong.get_json() == unknown.get_json()


def test_rol_2_ten_wrong_passwords_lock_the_account_until_the_lock_times_out(
    client, world, session, config
):
    assert config.login_lockout_failures == 10 and config.login_lockout_minutes == 15
    for _ in range(10):
        assert _staff_login(client, password="guess").status_code == 401
    locked = _staff_login(client)  # the right password, while locked
    assert locked.status_code == 401
    assert locked.get_json() == _staff_login(client, password="guess").get_json()
    user = session.scalars(select(User).where(User.username == "dispatcher")).one()
    left = user.locked_until - utcnow()
    assert timedelta(minutes=14) < left <= timedelta(minutes=15)
    user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes later
    session.commit()
    assert _staff_login(client).status_code == 200
    session.refresh(user)
    assert user.failed_logins == 0 and user.locked_until is None


def test_rol_2_a_right_password_resets_the_failure_count(client, world, session):
    for _ in range(9):
        _staff_login(client, password="guess")
    assert _staff_login(client).status_code == 200
    limiter.reset()  # the per-address rate limit (20/minute) is not what this test is about
    for _ in range(9):
        _staff_login(client, password="guess")
    assert _staff_login(client).status_code == 200  # 18 failures, never 10 in a row


def test_rol_2_unknown_users_take_as_long_as_known_ones(app, client, world, session, config):
    slow = config.with_overrides(password_hash_method="pbkdf2:sha256:300000")
    user = session.scalars(select(User).where(User.username == "dispatcher")).one()
    user.set_password(PASSWORD, slow.password_hash_method)
    session.commit()
    activate(slow)  # the app fixture activates the test configuration again next test

    def seconds(username: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            assert _staff_login(client, username, "wrong-password").status_code == 401
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    known, unknown = seconds("dispatcher"), seconds("no-such-user")
    assert known > 0.02  # the slow hash is what is measured
    assert unknown > 0.5 * known, (known, unknown)
