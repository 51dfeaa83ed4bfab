"""What the visit lifecycle refuses on the phone, and the dispatcher's release (issue 10 §2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import delete, select

from dispatch.audit import AuditEntry
from dispatch.intake.models import ServiceRequest
from dispatch.notifications.models import SmsMessage
from dispatch.visits.models import Visit, VisitReassignment
from tests.builders import book_visit, next_workday_at, release_visit, sms_link_token
from tests.mobile_api.helpers import accept_estimate, act, completion, walk_to_site


def _iso(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def _en_route_sms(session) -> list[str]:
    return list(
        session.scalars(select(SmsMessage.body).where(SmsMessage.template == "technician_en_route"))
    )


def test_apt_8_proposed_visit_three_days_ahead_cannot_depart(client, world, session):
    start = next_workday_at(10, days_ahead=3)
    visit = book_visit(client, world, start=start, released=False)["id"]
    response = act(client, world.auth("tech_a"), visit, "depart")
    assert response.status_code == 422
    assert response.get_json()["error_code"] == "appointment_not_confirmed"
    stored = session.get(Visit, visit)
    assert (stored.status, stored.request.status) == ("scheduled", "scheduled")
    assert _en_route_sms(session) == []  # no "on the way" for a visit days away


def test_apt_8_confirmed_visit_of_another_day_cannot_depart(client, world, session, run_worker):
    visit = book_visit(client, world, released=False)["id"]  # tomorrow or later
    run_worker()
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).one()
    assert client.post(f"/l/{sms_link_token(body)}/confirm").status_code == 303
    response = act(client, world.auth("tech_a"), visit, "depart")
    assert response.status_code == 422
    assert response.get_json()["error_code"] == "visit_not_today"
    assert _en_route_sms(session) == []


def test_dispatcher_release_is_audited_and_lets_the_technician_set_off(client, world, session):
    visit = book_visit(client, world, released=False)["id"]
    url = f"/api/v1/visits/{visit}/release"
    tech = world.auth("tech_a")
    assert client.post(url, headers=tech, json={"reason": "me"}).status_code == 403
    missing = client.post(url, headers=world.auth("dispatcher"), json={})
    assert missing.status_code == 422 and "reason" in str(missing.get_json()["details"])
    released = release_visit(client, world, visit)
    assert released["released_at"] and released["release_reason"]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "visit.released")).one()
    assert entry.entity_id == visit and entry.after["reason"] == released["release_reason"]
    assert act(client, tech, visit, "depart").status_code == 200
    again = client.post(url, headers=world.auth("dispatcher"), json={"reason": "late"})
    assert again.status_code == 409  # only a waiting visit is released
    assert len(_en_route_sms(session)) == 1


def test_vch_2_arrival_before_the_departure_time_is_422(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    assert act(client, tech, visit, "depart", device_time=_iso(0)).status_code == 200
    early = act(client, tech, visit, "arrive", device_time=_iso(-10))
    assert early.status_code == 422
    assert early.get_json()["error_code"] == "device_time_out_of_order"
    assert "en_route_at" in early.get_json()["details"]["device_time"][0]
    assert session.get(Visit, visit).status == "en_route"


def test_vch_2_completion_before_the_work_started_is_422(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    assert act(client, tech, visit, "start", device_time=_iso(2)).status_code == 200
    early = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(device_time=_iso(1))
    )
    assert early.status_code == 422
    assert early.get_json()["error_code"] == "device_time_out_of_order"
    stored = session.get(Visit, visit)
    assert (stored.status, stored.request.status) == ("in_progress", "in_progress")


def test_job_follows_its_visit_and_completion_does_not_close_it(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")

    def job() -> str:
        session.expire_all()
        return session.get(Visit, visit).request.status

    assert job() == "scheduled"
    act(client, tech, visit, "depart")
    assert job() == "en_route"
    act(client, tech, visit, "arrive", lat=31.19, lon=121.44)
    assert job() == "on_site"
    accept_estimate(client, tech, visit)
    act(client, tech, visit, "start")
    assert job() == "in_progress"
    act(client, tech, visit, "pause", reason="break")
    assert job() == "in_progress"  # a break does not hold the job
    act(client, tech, visit, "start")
    act(client, tech, visit, "pause", reason="coordination")
    assert job() == "on_hold"
    act(client, tech, visit, "start")
    assert job() == "in_progress"
    done = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion())
    assert done.status_code == 200
    assert job() == "completed"  # closing needs the archived voucher and the customer (VCH-11)
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "service_request")
    ).all()
    assert "request.en_route" in actions and "request.completed" in actions


def test_apt_11_follow_on_appointment_confirmed_takes_the_job_off_hold(
    client, world, session, run_worker
):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    assert act(client, tech, visit, "unable", reason="not_finished_today").status_code == 200
    follow_on = session.scalars(select(Visit).where(Visit.follow_up_of_id == visit)).one()
    request_id = follow_on.request_id
    moved = client.post(
        f"/api/v1/visits/{follow_on.id}/reschedule",
        headers=world.auth("dispatcher"),
        json={
            "window_start": next_workday_at(14, days_ahead=2).isoformat(),
            "window_end": next_workday_at(16, days_ahead=2).isoformat(),
        },
    )
    assert moved.status_code == 200, moved.get_json()
    run_worker()
    asks = session.scalars(
        select(SmsMessage.body)
        .where(SmsMessage.template == "appointment_confirm", SmsMessage.visit_id == follow_on.id)
        .order_by(SmsMessage.id.desc())
    ).first()
    assert session.get(ServiceRequest, request_id).status == "on_hold"
    assert client.post(f"/l/{sms_link_token(asks)}/confirm").status_code == 303
    session.expire_all()
    assert session.get(ServiceRequest, request_id).status == "scheduled"
    backlog = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
    assert backlog == []


def test_sync_reports_a_reassignment_from_its_own_rows_not_the_audit_trail(client, world, session):
    tech = world.auth("tech_a")
    since = client.get("/mobile/v1/sync?since=2000-01-01T00:00:00%2B00:00", headers=tech)
    visit = book_visit(client, world)
    start = visit["window_start"]
    pinned = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=world.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "technician_id": world.technician_ids["tech_b"],
            "pin_technician": True,
            "pinned_start": start,
        },
    )
    assert pinned.status_code == 200, pinned.get_json()
    lost = session.scalars(select(VisitReassignment)).one()
    assert (lost.visit_id, lost.technician_id) == (visit["id"], world.technician_ids["tech_a"])
    session.execute(delete(AuditEntry))  # the trail is not data: sync must not need it
    session.commit()
    server_time = since.get_json()["server_time"]
    changes = client.get(f"/mobile/v1/sync?since={quote(server_time)}", headers=tech).get_json()
    assert changes["deleted"] == [visit["id"]]
    assert changes["created"] == changes["updated"] == []


def test_job_paused_on_site_is_on_hold_but_waits_for_its_technician(client, world, session):
    booked, tech = book_visit(client, world), world.auth("tech_a")
    visit = booked["id"]
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    act(client, tech, visit, "start")
    assert act(client, tech, visit, "pause", reason="parts").status_code == 200
    request = session.get(ServiceRequest, booked["request_id"])
    assert (request.status, request.hold_reason) == ("on_hold", "parts")
    staff = world.auth("dispatcher")
    assert client.get("/api/v1/backlog", headers=staff).get_json() == []
    another = client.post(
        f"/api/v1/requests/{request.id}/visits",
        headers=staff,
        json={
            "technician_id": world.technician_ids["tech_b"],
            "window_start": next_workday_at(10, days_ahead=2).isoformat(),
            "window_end": next_workday_at(12, days_ahead=2).isoformat(),
        },
    )
    assert another.status_code == 409
    assert another.get_json()["error_code"] == "request_not_bookable"
    assert act(client, tech, visit, "start").status_code == 200
    session.expire_all()
    assert (request.status, request.hold_reason) == ("in_progress", None)
