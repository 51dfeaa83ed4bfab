"""Technicians see and change only their own visits; bad transitions are refused."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.visits.models import Visit
from tests.builders import book_visit, signature_b64
from tests.mobile_api.helpers import RECORD


def now_iso(minutes: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def test_technician_cannot_touch_another_technicians_visit(client, world, session):
    visit = book_visit(client, world, tech="tech_a")
    for action in ("depart", "arrive"):
        response = client.post(
            f"/mobile/v1/visits/{visit['id']}/{action}",
            headers=world.auth("tech_b"),
            json={"device_time": now_iso()},
        )
        assert response.status_code == 404  # not 403: existence is not revealed (issue 11)
        assert response.get_json()["error_code"] == "not_found"
    assert session.get(Visit, visit["id"]).status == "scheduled"


def test_staff_token_cannot_use_technician_endpoints(client, world):
    visit = book_visit(client, world)
    response = client.post(
        f"/mobile/v1/visits/{visit['id']}/depart",
        headers=world.auth("dispatcher"),
        json={"device_time": now_iso()},
    )
    assert response.status_code == 403


def test_arriving_before_departing_is_a_409(client, world, session):
    visit = book_visit(client, world)
    response = client.post(
        f"/mobile/v1/visits/{visit['id']}/arrive",
        headers=world.auth("tech_a"),
        json={"device_time": now_iso()},
    )
    assert response.status_code == 409
    assert response.get_json()["error_code"] == "invalid_transition"


def test_device_time_from_the_future_is_refused(client, world):
    visit = book_visit(client, world)
    response = client.post(
        f"/mobile/v1/visits/{visit['id']}/depart",
        headers=world.auth("tech_a"),
        json={"device_time": now_iso(60)},
    )
    assert response.status_code == 422
    assert "device_time" in response.get_json()["details"]


def test_status_change_audits_device_and_server_time(client, world, session):
    visit = book_visit(client, world)
    device_time = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    client.post(
        f"/mobile/v1/visits/{visit['id']}/depart",
        headers=world.auth("tech_a"),
        json={"device_time": device_time.isoformat()},
    )
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "visit.en_route")).one()
    assert entry.device_time == device_time
    assert entry.server_time > device_time
    assert entry.before["status"] == "scheduled" and entry.after["status"] == "en_route"
    assert entry.actor_role == "technician"


def test_bad_signature_rolls_back_the_completion(client, world, session):
    visit = book_visit(client, world)
    tech = world.auth("tech_a")
    for action in ("depart", "arrive"):
        client.post(
            f"/mobile/v1/visits/{visit['id']}/{action}",
            headers=tech,
            json={"device_time": now_iso()},
        )
    body = {
        "device_time": now_iso(),
        "service_content": "Fixed the pump",
        **RECORD,
        "signature": {"signer_name": "Li", "image": "R0lGODlhAQABAAAAACw="},
    }  # a GIF
    response = client.post(f"/mobile/v1/visits/{visit['id']}/complete", headers=tech, json=body)
    assert response.status_code == 422
    assert session.get(Visit, visit["id"]).status == "on_site"
    body["signature"]["image"] = "not base64!!"
    response = client.post(f"/mobile/v1/visits/{visit['id']}/complete", headers=tech, json=body)
    assert response.status_code == 422
    body["signature"]["image"] = signature_b64()
    assert (
        client.post(
            f"/mobile/v1/visits/{visit['id']}/complete", headers=tech, json=body
        ).status_code
        == 200
    )
