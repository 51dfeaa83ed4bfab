"""Every mobile write takes an Idempotency-Key: replays return the stored response, once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from dispatch import idempotency
from dispatch.audit import AuditEntry
from dispatch.db import db
from dispatch.users.models import User
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import book_visit
from tests.mobile_api.helpers import ACCEPTANCE, QUOTE, act, completion, new_key, now_iso


def _count(session, action: str) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_vch_2_every_status_change_replayed_has_one_effect(client, world, session):
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    steps = [
        ("depart", {}, "visit.en_route"),
        ("arrive", {"lat": 31.19, "lon": 121.44}, "visit.on_site"),
        ("quote", QUOTE, "quote.drafted"),
        ("quote/accept", ACCEPTANCE, "quote.accepted"),
        ("start", {}, "visit.in_progress"),
        ("pause", {"reason": "break"}, "visit.paused"),
        ("start", {}, "visit.in_progress"),
        ("complete", completion(), "visit.completed"),
    ]
    expected: dict[str, int] = {}
    for action, body, audited in steps:
        key, body = new_key(), body | {"device_time": now_iso()}
        first = act(client, tech, visit, action, key, **body)
        again = act(client, tech, visit, action, key, **body)
        assert first.status_code == again.status_code == 200, (action, again.get_json())
        assert again.get_json() == first.get_json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.headers.get("ETag") == first.headers.get("ETag")
        expected[audited] = expected.get(audited, 0) + 1
        assert _count(session, audited) == expected[audited], action
    assert session.scalar(select(func.count()).select_from(ServiceVoucher)) == 1


def test_vch_2_replayed_work_record_and_unable_have_one_effect(client, world, session):
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    act(client, tech, visit, "depart")
    act(client, tech, visit, "arrive")
    etag = client.get(f"/mobile/v1/visits/{visit}", headers=tech).headers["ETag"]
    key = new_key()
    for _ in range(2):
        response = client.patch(
            f"/mobile/v1/visits/{visit}/record",
            headers=tech | {"Idempotency-Key": key, "If-Match": etag},
            json={"diagnosis": "Worn belt"},
        )
        assert response.status_code == 200, response.get_json()
    assert _count(session, "visit.record_updated") == 1
    key, body = new_key(), {"device_time": now_iso(), "reason": "needs_parts"}
    for _ in range(2):
        assert act(client, tech, visit, "unable", key, **body).status_code == 200
    assert _count(session, "visit.follow_up_created") == 1


def test_same_key_with_another_body_is_a_422(client, world):
    visit = book_visit(client, world)["id"]
    tech, key = world.auth("tech_a"), new_key()
    assert act(client, tech, visit, "depart", key).status_code == 200
    response = act(client, tech, visit, "depart", key, device_time=now_iso(-30))
    assert response.status_code == 422
    assert response.get_json()["error_code"] == "idempotency_key_reused"


def test_keys_are_scoped_per_user_and_device(client, world):
    mine, theirs = book_visit(client, world)["id"], book_visit(client, world, tech="tech_b")["id"]
    key = new_key()
    assert act(client, world.auth("tech_a"), mine, "depart", key).status_code == 200
    response = act(client, world.auth("tech_b"), theirs, "depart", key)
    assert response.status_code == 200 and response.get_json()["id"] == theirs


def test_a_failed_write_is_not_stored_so_the_retry_runs(client, world):
    visit = book_visit(client, world)["id"]
    tech, key = world.auth("tech_a"), new_key()
    body = {"device_time": now_iso(1)}  # after the departure below: the order holds
    assert act(client, tech, visit, "arrive", key, **body).status_code == 409  # not en route
    assert act(client, tech, visit, "depart").status_code == 200
    retried = act(client, tech, visit, "arrive", key, **body)
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers


def test_duplicate_while_the_first_is_running_gets_409(client, world, session):
    visit = book_visit(client, world)["id"]
    tech, key, body = world.auth("tech_a"), new_key(), {"device_time": now_iso()}
    user_id = session.scalar(select(User.id).where(User.username == "tech_a"))
    # Hold the key's lock the way the first request holds it while it runs.
    with db.engine.connect() as first_request:
        first_request.execute(
            text("SELECT pg_advisory_xact_lock(:id)"),
            {"id": idempotency.lock_id(user_id, "dev-tech_a", key)},
        )
        response = act(client, tech, visit, "depart", key, **body)
        assert response.status_code == 409
        assert response.get_json()["error_code"] == "idempotency_in_progress"
        first_request.rollback()
    assert act(client, tech, visit, "depart", key, **body).status_code == 200
    assert _count(session, "visit.en_route") == 1


def test_racing_copies_of_one_write_apply_once(app, client, world, session):
    visit = book_visit(client, world)["id"]
    tech, key, body = world.auth("tech_a"), new_key(), {"device_time": now_iso()}
    barrier, results = threading.Barrier(4), []

    def send():
        with app.test_client() as own_client:
            barrier.wait()
            results.append(act(own_client, tech, visit, "depart", key, **body).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) <= {200, 409} and 200 in results
    assert _count(session, "visit.en_route") == 1
