"""The app syncs by asking what changed since its last sync: created, updated, deleted ids."""

from __future__ import annotations

from urllib.parse import quote

from tests.builders import book_visit, next_workday_at
from tests.mobile_api.helpers import act


def _sync(client, headers, since: str) -> dict:
    response = client.get(f"/mobile/v1/sync?since={quote(since)}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_sync_lists_created_updated_and_deleted_visits(client, world):
    tech = world.auth("tech_a")
    first = _sync(client, tech, "2000-01-01T00:00:00+00:00")
    assert first["created"] == first["updated"] == first["deleted"] == []
    kept = book_visit(client, world, start=next_workday_at(10))["id"]
    dropped = book_visit(client, world, start=next_workday_at(14))["id"]
    theirs = book_visit(client, world, tech="tech_b")["id"]
    second = _sync(client, tech, first["server_time"])
    assert second["created"] == [kept, dropped] and second["deleted"] == []
    assert theirs not in [v["id"] for v in second["visits"]]

    act(client, tech, kept, "depart")
    client.post(
        f"/api/v1/visits/{dropped}/cancel",
        headers=world.auth("dispatcher"),
        json={"reason": "Customer fixed it"},
    )
    third = _sync(client, tech, second["server_time"])
    assert (third["created"], third["updated"], third["deleted"]) == ([], [kept], [dropped])
    assert [v["status"] for v in third["visits"]] == ["en_route"]
    assert _sync(client, tech, third["server_time"])["updated"] == []


def test_sync_needs_a_valid_since(client, world):
    response = client.get("/mobile/v1/sync?since=yesterday", headers=world.auth("tech_a"))
    assert response.status_code == 422
