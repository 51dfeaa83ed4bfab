"""The technician's day: en route → arrived (GPS check) → working ⇄ paused → completed or not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import accept_estimate, act, completion, walk_to_site

FAR_AWAY = (31.30, 121.60)  # about 19 km from the site at (31.19, 121.44)


def test_vch_2_checkin_near_the_site_is_not_flagged(client, world, session):
    visit = book_visit(client, world)["id"]
    walk_to_site(client, world.auth("tech_a"), visit, lat=31.1905, lon=121.4402)
    body = client.get(f"/mobile/v1/visits/{visit}", headers=world.auth("tech_a")).get_json()
    assert body["arrival_far_from_site"] is False
    assert 0 < body["arrival_distance_m"] < 100


def test_vch_2_checkin_beyond_the_radius_is_flagged(client, world, session):
    visit = book_visit(client, world)["id"]
    walk_to_site(client, world.auth("tech_a"), visit, *FAR_AWAY)
    stored = session.get(Visit, visit)
    assert stored.field_record.arrival_far_from_site is True
    assert 18_000 < stored.field_record.arrival_distance_m < 21_000


def test_vch_2_work_pauses_and_resumes_then_completes(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    assert act(client, tech, visit, "start").get_json()["status"] == "in_progress"
    paused = act(client, tech, visit, "pause", reason="parts").get_json()
    assert (paused["status"], paused["pause_reason"]) == ("paused", "parts")
    refused = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion())
    assert refused.status_code == 409  # finish the work before completing
    assert act(client, tech, visit, "start").get_json()["status"] == "in_progress"
    done = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion())
    assert done.status_code == 200 and done.get_json()["status"] == "completed"


def test_vch_16_needing_parts_creates_a_linked_follow_up_visit(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    response = act(client, tech, visit, "unable", reason="needs_parts", note="Pump PX-1 needed")
    assert response.status_code == 200
    assert response.get_json()["status"] == "unable_to_finish"
    follow_up = session.scalars(select(Visit).where(Visit.follow_up_of_id == visit)).one()
    original = session.get(Visit, visit)
    assert follow_up.request_id == original.request_id
    assert (follow_up.status, follow_up.appointment.status) == ("scheduled", "proposed")
    # the dispatcher books it once the part is in
    assert follow_up.route_stop.reserved_start is None
    assert (original.request.status, original.request.hold_reason) == ("on_hold", "parts")


@pytest.mark.parametrize(
    ("reason", "hold_reason"),
    [
        ("unsafe", "coordination"),
        ("customer_absent", "coordination"),
        ("coordination", "coordination"),
        ("not_finished_today", "not_finished_today"),
    ],
)
def test_apt_11_unable_for_any_reason_proposes_a_follow_on_and_tells_the_customer(
    client, world, session, sms, reason, hold_reason
):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    assert act(client, tech, visit, "unable", reason=reason).status_code == 200
    follow_on = session.scalars(select(Visit).where(Visit.follow_up_of_id == visit)).one()
    request = session.get(Visit, visit).request
    assert (request.status, request.hold_reason) == ("on_hold", hold_reason)
    assert follow_on.appointment.status == "proposed"
    told = session.scalars(select(SmsMessage).where(SmsMessage.template == "job_on_hold")).one()
    assert told.visit_id == follow_on.id and request.number in told.body
    assert request.hold_told_by_id == session.get(Visit, visit).technician.user_id
    assert request.hold_told_at is not None
    backlog = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
    assert [(b["number"], b["status"], b["hold_reason"]) for b in backlog] == [
        (request.number, "on_hold", hold_reason)
    ]


def test_unknown_reasons_are_422(client, world):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    assert act(client, tech, visit, "unable", reason="bored").status_code == 422
    accept_estimate(client, tech, visit)
    assert act(client, tech, visit, "start").status_code == 200
    assert act(client, tech, visit, "pause", reason="").status_code == 422


def test_dispatcher_edit_makes_the_technicians_etag_stale(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    etag = client.get(f"/mobile/v1/visits/{visit}", headers=tech).headers["ETag"]
    cancelled = client.post(
        f"/api/v1/visits/{visit}/cancel",
        headers=world.auth("dispatcher"),
        json={"reason": "Customer called to cancel"},
    )
    assert cancelled.status_code == 200
    stale = act(client, tech | {"If-Match": etag}, visit, "depart")
    assert stale.status_code == 412
    assert stale.get_json()["error_code"] == "precondition_failed"
    record = client.patch(
        f"/mobile/v1/visits/{visit}/record",
        headers=tech | {"If-Match": etag},
        json={"diagnosis": "Belt worn"},
    )
    assert record.status_code == 412
    assert session.get(Visit, visit).field_record.diagnosis is None


def test_work_record_needs_if_match_and_a_current_one_succeeds(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    url = f"/mobile/v1/visits/{visit}/record"
    missing = client.patch(url, headers=tech, json={"diagnosis": "Belt worn"})
    assert missing.status_code == 428
    assert missing.get_json()["error_code"] == "precondition_required"
    etag = client.get(f"/mobile/v1/visits/{visit}", headers=tech).headers["ETag"]
    saved = client.patch(
        url,
        headers=tech | {"If-Match": etag},
        json={"diagnosis": "Belt worn", "work_done": "Replaced belt", "solution": "New belt"},
    )
    assert saved.status_code == 200
    assert saved.headers["ETag"] != etag
    assert saved.get_json()["solution"] == "New belt"


def test_technician_cannot_see_or_change_another_technicians_visit(client, world, session):
    """Another technician's visit is 404, as if it did not exist (issue 11 probe)."""
    visit = book_visit(client, world, tech="tech_a")["id"]
    other = world.auth("tech_b")
    assert client.get(f"/mobile/v1/visits/{visit}", headers=other).status_code == 404
    assert client.get("/mobile/v1/visits/today", headers=other).get_json() == []
    for action, body in (
        ("start", {}),
        ("pause", {"reason": "break"}),
        ("unable", {"reason": "unsafe"}),
    ):
        assert act(client, other, visit, action, **body).status_code == 404
    assert (
        client.post(
            f"/mobile/v1/visits/{visit}/complete", headers=other, json=completion()
        ).status_code
        == 404
    )
    patch = client.patch(
        f"/mobile/v1/visits/{visit}/record",
        headers=other | {"If-Match": "*"},
        json={"diagnosis": "x"},
    )
    assert patch.status_code == 404
    assert session.get(Visit, visit).status == "scheduled"
