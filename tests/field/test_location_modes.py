"""A job's location mode and the appointments it requires before dispatch and closing (VCH-17)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from dispatch.visits.models import Visit
from tests.builders import next_workday_at, repair_request


def _mode(client, world, request_id: int, mode: str | None = None, who: str = "dispatcher"):
    path = f"/api/v1/requests/{request_id}/location-mode"
    if mode is None:
        return client.get(path, headers=world.auth(who))
    return client.post(path, headers=world.auth(who), json={"mode": mode})


def _book(client, world, request_id: int, kind: str):
    start = next_workday_at(10)
    return client.post(
        f"/api/v1/requests/{request_id}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_a"],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "kind": kind,
        },
    )


def test_vch_17_workshop_job_is_dispatched_only_to_its_own_appointments_and_shows_what_is_missing(
    client, world, session
):
    request = repair_request(client, world)["id"]
    unset = _mode(client, world, request).get_json()
    assert (unset["mode"], unset["missing"]) == (None, [])
    chosen = _mode(client, world, request, "workshop")
    assert chosen.status_code == 200, chosen.get_json()
    assert chosen.get_json()["required"] == ["collection", "return"]
    assert chosen.get_json()["missing"] == ["collection", "return"]

    on_site_visit = _book(client, world, request, "repair")
    assert on_site_visit.status_code == 409
    assert on_site_visit.get_json()["error_code"] == "appointment_kind_mismatch"
    assert session.scalar(select(func.count()).select_from(Visit)) == 0  # nothing half-booked

    collection = _book(client, world, request, "collection")
    assert collection.status_code == 201, collection.get_json()
    assert _mode(client, world, request, who="manager").get_json()["missing"] == ["return"]


def test_vch_17_job_does_not_close_without_its_required_appointments(client, world):
    request = repair_request(client, world)["id"]
    assert _mode(client, world, request, "workshop").status_code == 200
    assert _book(client, world, request, "collection").status_code == 201
    closed = client.post(
        f"/api/v1/requests/{request}/close", headers=world.auth("dispatcher"), json={}
    )
    assert closed.status_code == 409
    body = closed.get_json()
    assert body["error_code"] == "appointments_missing"
    assert body["details"]["missing"] == ["return"]


def test_vch_17_on_site_job_needs_a_repair_or_assessment_visit(client, world):
    request = repair_request(client, world)["id"]
    shown = _mode(client, world, request, "on_site").get_json()
    assert shown["missing"] == ["assessment|installation|repair"]
    assert _book(client, world, request, "repair").status_code == 201
    assert _mode(client, world, request).get_json()["missing"] == []
    closed = client.post(
        f"/api/v1/requests/{request}/close", headers=world.auth("dispatcher"), json={}
    )
    # the appointments are there: what stops closing now is the unfinished work (VCH-11)
    assert closed.get_json()["error_code"] != "appointments_missing"


def test_vch_17_only_assigners_set_the_mode_and_a_bad_mode_is_refused(client, world):
    request = repair_request(client, world)["id"]
    assert _mode(client, world, request, "workshop", who="quality").status_code == 403
    bad = _mode(client, world, request, "moon")
    assert bad.status_code == 422 and "mode" in str(bad.get_json()["details"])
