"""The customer's "my data" link pages (PRV-7, PRV-8, PRV-11) and technicians' location consent
(PIPL art. 28)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.links import service as links
from dispatch.privacy.models import AccessLogEntry, TechnicianPosition
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import act, new_key, now_iso


def _token(config, visit_id: int) -> str:
    with session_scope() as session:
        return links.issue(
            session,
            secret_key=config.secret_key,
            purpose="appointment",
            visit=session.get(Visit, visit_id),
            expires_at=utcnow() + timedelta(days=1),
        )


def test_my_data_page_shows_masked_phone_and_no_full_address_PRV_11(client, world, config):
    token = _token(config, book_visit(client, world)["id"])
    page = client.get(f"/l/{token}/my-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "138****8000" in html and "13800138000" not in html
    assert "上海市徐汇区测试路100号" not in html and "测试客户" not in html
    assert page.headers["Cache-Control"].startswith("no-store") or "no-store" in str(
        page.headers.get("Cache-Control")
    )


def test_customer_exports_their_data_as_json_by_link_and_it_is_logged_PRV_7(
    client, world, config, session
):
    token = _token(config, book_visit(client, world)["id"])
    reply = client.get(f"/l/{token}/my-data.json")
    body = reply.get_json()
    assert reply.status_code == 200 and "attachment" in reply.headers["Content-Disposition"]
    assert body["customer"]["phone"] == "138****8000"
    assert body["requests"] and body["consents"][0]["purposes"] == ["service"]
    logged = session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.customer_id == world.customer_id, AccessLogEntry.action == "export"
        )
    ).one()
    assert logged.actor_kind == "customer" and logged.purpose == "data subject access (link)"


def test_address_change_by_link_waits_for_staff_approval_PRV_8(client, world, config):
    token = _token(config, book_visit(client, world)["id"])
    sent = client.post(
        f"/l/{token}/my-data/correction",
        data={"field": "address", "value": "上海市徐汇区搬家路9号"},
    )
    assert sent.status_code == 303 and "done=pending" in sent.headers["Location"]
    auth = world.auth("dispatcher")
    assert (
        client.get(f"/api/v1/customers/{world.customer_id}", headers=auth).get_json()["sites"][0][
            "address"
        ]
        == "上海市徐汇区测试路100号"
    )
    pending = client.get("/api/v1/privacy/corrections", headers=auth).get_json()
    assert [(p["field"], p["via"]) for p in pending] == [("address", "link")]
    client.post(
        f"/api/v1/privacy/corrections/{pending[0]['id']}/decision",
        headers=auth,
        json={"approve": True},
    )
    assert (
        client.get(f"/api/v1/customers/{world.customer_id}", headers=auth).get_json()["sites"][0][
            "address"
        ]
        == "上海市徐汇区搬家路9号"
    )


def test_a_tampered_link_opens_no_data_PRV_11(client, world):
    assert client.get("/l/not-a-token/my-data").status_code in (400, 403, 404)


def _position(client, tech, visit_id):
    return client.post(
        "/mobile/v1/positions",
        headers=tech | {"Idempotency-Key": new_key()},
        json={"visit_id": visit_id, "lat": 31.2, "lon": 121.45, "taken_at": now_iso()},
    )


def test_positions_need_the_technicians_separate_consent_PIPL_28(client, world, session):
    visit_id = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    assert act(client, tech, visit_id, "depart").status_code == 200
    without = _position(client, tech, visit_id)
    assert without.get_json() == {"recorded": False, "reason": "no_location_consent"}
    given = client.put(
        "/mobile/v1/location-consent",
        headers=tech | {"Idempotency-Key": new_key()},
        json={"given": True},
    )
    assert given.status_code == 200 and given.get_json()["given"] is True
    assert _position(client, tech, visit_id).get_json() == {"recorded": True, "reason": None}
    assert len(session.scalars(select(TechnicianPosition)).all()) == 1
    withdrawn = client.put(
        "/mobile/v1/location-consent",
        headers=tech | {"Idempotency-Key": new_key()},
        json={"given": False},
    )
    assert withdrawn.status_code == 200
    session.expire_all()
    assert session.scalars(select(TechnicianPosition)).all() == []  # withdrawal deletes them
    assert _position(client, tech, visit_id).get_json()["recorded"] is False


def test_positions_are_recorded_only_while_on_a_visit_PIPL_28(client, world):
    visit_id = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    client.put(
        "/mobile/v1/location-consent",
        headers=tech | {"Idempotency-Key": new_key()},
        json={"given": True},
    )
    before = _position(client, tech, visit_id)  # scheduled, not yet en route
    assert before.get_json() == {"recorded": False, "reason": "not_on_a_visit"}
    other = _position(client, world.auth("tech_b"), visit_id)  # not their visit
    assert other.status_code == 404
