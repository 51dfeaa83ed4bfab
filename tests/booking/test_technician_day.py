"""One owner of a technician's day (issue 10 §1): what slot search offers, booking accepts."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from dispatch import demo
from dispatch.actors import SYSTEM
from dispatch.booking import service as booking
from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.intake.models import ServiceRequest
from dispatch.models import Visit
from dispatch.schedule import rules
from dispatch.schedule import service as schedule
from tests.booking.morning import book
from tests.builders import repair_request
from tests.mobile_api.helpers import act, completion, new_key
from tests.routing.day import local

SH = ZoneInfo("Asia/Shanghai")


def listed_slots(client, world, request_id, **query) -> list[dict]:
    response = client.get(
        f"/api/v1/requests/{request_id}/slots", headers=world.auth("dispatcher"), query_string=query
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def finish_on_phone(client, world, session, visit_id: int) -> None:
    """Confirm the appointment, then depart, arrive and complete from the technician's phone."""
    stored = session.get(Visit, visit_id)
    stored.confirm(at=utcnow())
    session.commit()
    phone = world.auth("tech_a")
    assert act(client, phone, visit_id, "depart", key=new_key()).status_code == 200
    assert act(client, phone, visit_id, "arrive", key=new_key(), lat=31.19, lon=121.44).status_code
    done = client.post(
        f"/mobile/v1/visits/{visit_id}/complete",
        headers=phone | {"Idempotency-Key": new_key()},
        json=completion(fee_cents=0, parts=[]),
    )
    assert done.status_code == 200, done.get_json()


def assert_every_listed_window_books(session, config, request_id: int, days: int) -> list:
    """Book each listed window (with its technician, then without) and undo it; return them."""
    listed = booking.slots_for_request(
        session=session,
        actor=SYSTEM,
        config=config,
        request_id=request_id,
        days=days,
        duration_minutes=60,
    )
    for slot in listed:
        for technician_id in (slot.technician_id, None):
            savepoint = session.begin_nested()
            visit = booking.book(
                session=session,
                actor=SYSTEM,
                config=config,
                request_id=request_id,
                window_start=slot.window_start,
                window_end=slot.window_end,
                duration_minutes=60,
                technician_id=technician_id,
            )
            assert visit.route_stop.reserved_start is not None
            savepoint.rollback()
    return listed


def test_apt_completed_visit_window_is_offered_and_then_booked_not_refused(
    client, morning, session
):
    tech_a = morning.technician_ids["tech_a"]
    done = book(
        client, morning, local(12, 30), local(14, 30), duration_minutes=120, technician_id=tech_a
    ).get_json()
    finish_on_phone(client, morning, session, done["id"])  # finished early, at about 07:00
    session.expire_all()
    # it used none of its time
    assert session.get(Visit, done["id"]).route_stop.reserved_start is None
    request = repair_request(client, morning)
    offered = listed_slots(client, morning, request["id"], days=1)
    assert {(datetime.fromisoformat(s["window_start"]), s["technician_id"]) for s in offered} >= {
        (local(12, 30), tech_a)
    }
    for slot in offered:
        for technician in ({"technician_id": slot["technician_id"]}, {}):
            fresh = repair_request(client, morning)
            booked = client.post(
                f"/api/v1/requests/{fresh['id']}/visits",
                headers=morning.auth("dispatcher"),
                json={"window_start": slot["window_start"], "window_end": slot["window_end"]}
                | technician,
            )
            assert booked.status_code == 201, (slot, booked.get_json())
            cancelled = client.post(
                f"/api/v1/visits/{booked.get_json()['id']}/cancel",
                headers=morning.auth("dispatcher"),
                json={"reason": "undo"},
            )
            assert cancelled.status_code == 200


def test_apt_completed_visit_keeps_only_the_time_it_used(client, morning, session):
    tech_a = morning.technician_ids["tech_a"]
    done = book(
        client, morning, local(12, 30), local(14, 30), duration_minutes=120, technician_id=tech_a
    ).get_json()
    planned = datetime.fromisoformat(
        client.get(f"/api/v1/visits/{done['id']}", headers=morning.auth("dispatcher")).get_json()[
            "planned_start"
        ]
    )
    morning.clock.move_to(planned + timedelta(minutes=40))
    finish_on_phone(client, morning, session, done["id"])
    session.expire_all()
    stored = session.get(Visit, done["id"])
    assert stored.status == "completed"
    assert stored.route_stop.reserved_start == planned
    assert stored.route_stop.reserved_end == stored.completed_at < planned + timedelta(minutes=120)


def test_apt_alternatives_never_offer_the_refused_window(client, morning, session, config):
    request = repair_request(client, morning)
    site = session.get(ServiceRequest, request["id"]).site
    need = schedule.Need(site=site, minutes=60)
    free = schedule.free_windows(session, config=config, need=need, days=1)
    refused = (free[0].window_start, free[0].window_end)
    offered = schedule.alternatives(session, config, need, refused)
    assert offered and all(
        (datetime.fromisoformat(a["window_start"]), datetime.fromisoformat(a["window_end"]))
        != refused
        for a in offered
    )
    tech_a = morning.technician_ids["tech_a"]
    taken = book(client, morning, local(8, 30), local(10, 30), duration_minutes=120)
    assert taken.status_code == 201
    again = book(
        client, morning, local(8, 30), local(10, 30), duration_minutes=120, technician_id=tech_a
    )
    if again.status_code == 409:  # tech_a took the first: the refusal offers other windows
        alternatives = again.get_json()["details"]["alternatives"]
        starts = [datetime.fromisoformat(a["window_start"]) for a in alternatives]
        assert starts and local(8, 30) not in starts


def test_apt_demo_visits_sit_in_windows_slot_search_offers_and_every_offer_books(app, config):
    with time_machine.travel(datetime(2026, 12, 4, 7, tzinfo=SH), tick=False):  # a Friday
        with session_scope() as session:
            demo.load(session, config)
        with session_scope() as session:
            visits = session.scalars(select(Visit).where(Visit.technician_id.is_not(None))).all()
            assert visits
            for visit in visits:
                local_start = visit.window_start.astimezone(SH)
                assert (local_start.hour, local_start.minute) in {(8, 30), (10, 30), (12, 30)} | {
                    (14, 30)
                }
                assert visit.window_start <= visit.route_stop.planned_start <= visit.window_end
            held = [(v.technician_id, *v.route_stop.reserved) for v in visits]
            for tech, start, end in held:
                assert (
                    sum(t == tech and rules.overlaps((start, end), (s, e)) for t, s, e in held) == 1
                )
            waiting = session.scalars(
                select(ServiceRequest).where(ServiceRequest.status == "registered")
            ).all()
            regions = {r.site.region_id: r for r in waiting}
            assert len(regions) == 2
            monday = datetime(2026, 12, 7, tzinfo=SH).date()
            for request in regions.values():
                offered = assert_every_listed_window_books(session, config, request.id, days=4)
                assert any(p.window_start.astimezone(SH).date() == monday for p in offered)
