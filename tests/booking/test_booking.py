"""Booking customers can trust: only windows a technician can keep, never double-booked."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from dispatch.db import db
from dispatch.models import Visit
from dispatch.outbox import OutboxMessage
from dispatch.schedule.models import RouteStop
from tests.booking.morning import book
from tests.builders import login, repair_request
from tests.routing.day import local


def slots(client, world, request_id, **query):
    response = client.get(
        f"/api/v1/requests/{request_id}/slots", headers=world.auth("dispatcher"), query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return [(s["window_start"], s["window_end"]) for s in response.get_json()]


def test_apt_slot_search_offers_only_windows_a_technician_can_keep(client, morning):
    request = repair_request(client, morning)
    free = slots(client, morning, request["id"], days=5, duration_minutes=60)
    starts = [datetime.fromisoformat(s) for s, _ in free]
    assert starts, "an empty week is bookable"
    for start in starts:
        assert start >= local(8)  # nothing sooner than an hour from now (07:00)
        assert start.weekday() < 5  # technicians work Monday to Friday
        local_start = start.astimezone(local(0).tzinfo)
        assert (local_start.hour, local_start.minute) in {(8, 30), (10, 30), (12, 30), (14, 30)}
    # Fill both technicians' 10:30–12:30 today with two-hour visits: that window goes away.
    for tech in ("tech_a", "tech_b"):
        taken = book(
            client,
            morning,
            local(10, 30),
            local(12, 30),
            duration_minutes=120,
            technician_id=morning.technician_ids[tech],
        )
        assert taken.status_code == 201, taken.get_json()
    after = slots(client, morning, request["id"], days=1, duration_minutes=60)
    assert (local(10, 30).isoformat(), local(12, 30).isoformat()) not in [
        (
            datetime.fromisoformat(s).astimezone(local(0).tzinfo).isoformat(),
            datetime.fromisoformat(e).astimezone(local(0).tzinfo).isoformat(),
        )
        for s, e in after
    ]
    assert len(after) == len([s for s in starts if s.date() == local(0).date()]) - 1


def test_booking_assigns_a_technician_and_holds_their_time(client, morning, session):
    response = book(client, morning, local(14, 30), local(16, 30), duration_minutes=90)
    assert response.status_code == 201, response.get_json()
    visit = session.get(Visit, response.get_json()["id"])
    assert visit.technician_id in morning.technician_ids.values()
    assert local(14, 30) <= visit.route_stop.reserved_start <= local(16, 30)
    assert visit.route_stop.reserved_end - visit.route_stop.reserved_start == timedelta(minutes=90)


def test_a_taken_window_is_409_with_free_alternatives(client, morning):
    tech_a = morning.technician_ids["tech_a"]
    first = book(
        client, morning, local(8, 30), local(10, 30), duration_minutes=120, technician_id=tech_a
    )
    assert first.status_code == 201
    second = book(
        client, morning, local(8, 30), local(10, 30), duration_minutes=60, technician_id=tech_a
    )
    assert second.status_code == 409
    body = second.get_json()
    assert body["error_code"] == "window_taken"
    alternatives = body["details"]["alternatives"]
    assert alternatives and all(a["window_start"] != local(8, 30).isoformat() for a in alternatives)


def test_window_outside_working_hours_is_refused(client, morning):
    response = book(client, morning, local(19), local(21))
    assert response.status_code == 409 and response.get_json()["details"]["alternatives"]


@pytest.mark.postgres_only
def test_database_refuses_overlapping_time_of_one_technician(client, morning, session):
    book(
        client,
        morning,
        local(9),
        local(11),
        duration_minutes=60,
        technician_id=morning.technician_ids["tech_a"],
    )
    visit = session.scalars(select(Visit)).one()
    other = book(
        client,
        morning,
        local(13),
        local(15),
        duration_minutes=60,
        technician_id=morning.technician_ids["tech_a"],
    ).get_json()
    clash = session.get(Visit, other["id"])
    clash.route_stop.reserved_start = visit.route_stop.reserved_start + timedelta(minutes=30)
    clash.route_stop.reserved_end = visit.route_stop.reserved_end + timedelta(minutes=30)
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()
    constraint = session.execute(
        text("SELECT count(*) FROM pg_constraint WHERE conname = 'route_stops_no_overlap'")
    ).scalar()
    assert constraint == 1


@pytest.mark.postgres_only
def test_apt_many_clients_booking_one_window_exactly_one_wins(app, morning, session):
    tech_a = morning.technician_ids["tech_a"]
    clients = [app.test_client() for _ in range(8)]
    requests = [repair_request(c, morning)["id"] for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def attempt(client, request_id):
        barrier.wait()
        response = client.post(
            f"/api/v1/requests/{request_id}/visits",
            headers=morning.auth("dispatcher"),
            json={
                "window_start": local(14, 30).isoformat(),
                "window_end": local(16, 30).isoformat(),
                "duration_minutes": 120,
                "technician_id": tech_a,
            },
        )
        statuses.append(response.status_code)
        db.session.remove()

    threads = [
        threading.Thread(target=attempt, args=pair) for pair in zip(clients, requests, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * (len(clients) - 1)
    held = session.scalar(
        select(func.count())
        .select_from(Visit)
        .join(RouteStop, RouteStop.visit_id == Visit.id)
        .where(Visit.technician_id == tech_a, RouteStop.reserved_start.is_not(None))
    )
    assert held == 1


def test_customer_reschedules_to_a_free_window_and_cancels(
    client, morning, session, run_worker, sms
):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    run_worker()
    body = next(m.body for m in sms.sent if "Please confirm" in m.body)
    token = body.rsplit("/l/", 1)[1]
    page = client.get(f"/l/{token}?lang=en").get_data(as_text=True)
    reschedule_url = page.split('id="reschedule" href="', 1)[1].split('"', 1)[0]
    choices = client.get(reschedule_url + "?lang=en").get_data(as_text=True)
    listed = choices.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert 'name="window"' in listed and "2026-12-01 14:30–16:30" not in listed
    chosen = choices.split('name="window" value="', 1)[1].split('"', 1)[0]
    moved = client.post(reschedule_url.replace("?", "") + "/reschedule", data={"window": chosen})
    assert moved.status_code == 303
    session.expire_all()
    stored = session.get(Visit, visit["id"])
    assert stored.window_start == datetime.fromisoformat(chosen)
    assert stored.appointment.status == "confirmed" and stored.appointment.reschedule_count == 1
    taken = client.post(reschedule_url + "/reschedule", data={"window": "2020-01-01T00:00:00"})
    assert taken.status_code == 422
    ics = client.get(f"/l/{token}/calendar.ics")
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.data
    assert stored.number.encode() in ics.data
    page = client.get(f"/l/{token}?lang=en").get_data(as_text=True)
    cancel_url = page.split('id="cancel" class="danger" href="', 1)[1].split('"', 1)[0]
    assert client.post(cancel_url + "/cancel", data={"reason": ""}).status_code == 422
    assert (
        client.post(cancel_url + "/cancel", data={"reason": "Fixed it myself"}).status_code == 200
    )
    session.expire_all()
    stored = session.get(Visit, visit["id"])
    assert stored.status == "cancelled" and stored.route_stop.reserved_start is None
    assert client.post(f"/l/{token}/confirm").status_code == 403  # links withdrawn
    run_worker()
    assert any("is cancelled" in m.body for m in sms.sent)


def test_reminder_goes_the_day_before_at_16_unless_the_visit_moved(
    client, morning, session, run_worker, sms
):
    tomorrow = local(10, 30) + timedelta(days=1)
    first = book(client, morning, tomorrow, tomorrow + timedelta(hours=2)).get_json()
    second = book(client, morning, tomorrow, tomorrow + timedelta(hours=2)).get_json()
    client.post(
        f"/api/v1/visits/{second['id']}/cancel",
        headers=morning.auth("dispatcher"),
        json={"reason": "customer called"},
    )
    reminders = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "booking.reminder")
    ).all()
    assert {r.run_at for r in reminders} == {local(16)}
    morning.clock.move_to(local(16, 1))
    run_worker()
    texts = [m.body for m in sms.sent if "Reminder" in m.body]
    assert len(texts) == 1 and first["number"] in texts[0] and "/l/" in texts[0]


def test_apt_1_requests_without_a_confirmed_date_after_a_day_are_listed(client, morning):
    """APT-1: no visit, or a visit only proposed, a day after registration is flagged."""
    waiting = repair_request(client, morning)
    proposed = book(client, morning, local(14, 30), local(16, 30)).get_json()
    agreed = book(client, morning, local(10, 30), local(12, 30)).get_json()
    confirm = client.post(
        f"/api/v1/visits/{agreed['id']}/confirm", headers=morning.auth("dispatcher")
    )
    assert confirm.status_code == 200, confirm.get_json()
    listed = client.get("/api/v1/requests/contact-overdue", headers=morning.auth("dispatcher"))
    assert listed.get_json() == []
    morning.clock.move_to(local(7, 5) + timedelta(days=1))
    morning.tokens["dispatcher"] = login(client, "dispatcher")  # a new day, a new login
    listed = client.get(
        "/api/v1/requests/contact-overdue", headers=morning.auth("dispatcher")
    ).get_json()
    assert [(r["id"], r["why"]) for r in listed] == [
        (waiting["id"], "no_visit"),
        (proposed["request_id"], "proposal_unconfirmed"),
    ]
    assert listed[0]["contact_due"].startswith("2026-12-01T23:0")  # registered + 24 h (UTC)


def test_no_show_frees_the_time_and_sends_the_request_back_to_booking(client, morning, session):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    missed = client.post(
        f"/api/v1/visits/{visit['id']}/no-show",
        headers=morning.auth("dispatcher"),
        json={"reason": "nobody home"},
    )
    assert missed.status_code == 200, missed.get_json()
    assert (missed.get_json()["status"], missed.get_json()["appointment_status"]) == (
        "cancelled",
        "missed",
    )
    stored = session.get(Visit, visit["id"])
    assert stored.route_stop.reserved_start is None and stored.request.status == "registered"
    again = client.post(
        f"/api/v1/visits/{visit['id']}/no-show",
        headers=morning.auth("dispatcher"),
        json={"reason": "twice"},
    )
    assert again.status_code == 409
    rebooked = client.post(
        f"/api/v1/requests/{stored.request_id}/visits",
        headers=morning.auth("dispatcher"),
        json={"window_start": local(14, 30).isoformat(), "window_end": local(16, 30).isoformat()},
    )
    assert rebooked.status_code == 201
