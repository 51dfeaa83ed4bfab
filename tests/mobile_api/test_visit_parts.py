"""A change of one of a visit's parts is a change of the visit (issue 10 §2): the app's sync and
If-Match see a release (appointment) and a work record (field record); for a pin (route stop)
see tests/routing/test_held_time.py."""

from __future__ import annotations

from urllib.parse import quote

from tests.builders import book_visit, release_visit
from tests.mobile_api.helpers import walk_to_site


def _sync(client, headers, since: str) -> dict:
    response = client.get(f"/mobile/v1/sync?since={quote(since)}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _etag(client, headers, visit_id: int) -> str:
    return client.get(f"/mobile/v1/visits/{visit_id}", headers=headers).headers["ETag"]


def test_apt_a_release_alone_is_synced_and_moves_the_etag(client, world):
    tech = world.auth("tech_a")
    visit = book_visit(client, world, released=False)["id"]
    before = _sync(client, tech, "2000-01-01T00:00:00+00:00")
    etag = _etag(client, tech, visit)

    release_visit(client, world, visit)

    after = _sync(client, tech, before["server_time"])
    assert after["updated"] == [visit]
    assert _etag(client, tech, visit) != etag


def test_vch_6_a_work_record_alone_is_synced_and_moves_the_etag(client, world):
    tech = world.auth("tech_a")
    visit = book_visit(client, world)["id"]
    walk_to_site(client, tech, visit)
    before = _sync(client, tech, "2000-01-01T00:00:00+00:00")
    etag = _etag(client, tech, visit)

    saved = client.patch(
        f"/mobile/v1/visits/{visit}/record",
        headers=tech | {"If-Match": etag},
        json={"diagnosis": "Belt worn"},
    )

    assert saved.status_code == 200, saved.get_json()
    after = _sync(client, tech, before["server_time"])
    assert after["updated"] == [visit] and after["visits"][0]["diagnosis"] == "Belt worn"
    assert _etag(client, tech, visit) != etag
