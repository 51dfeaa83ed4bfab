"""Late arrival against the booked window, and the delay SMS with a new ETA (APT-9)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from tests.booking.morning import book
from tests.mobile_api.helpers import act
from tests.routing.day import local


def confirmed_visit(client, world, start, end) -> dict:
    visit = book(client, world, start, end, technician_id=world.technician_ids["tech_a"]).get_json()
    reply = client.post(f"/api/v1/visits/{visit['id']}/confirm", headers=world.auth("dispatcher"))
    assert reply.status_code == 200, reply.get_json()
    return visit


def test_apt_9_arrival_after_window_end_plus_tolerance_is_flagged_late(client, morning):
    late = confirmed_visit(client, morning, local(8), local(9))
    tech = morning.auth("tech_a")
    morning.clock.move_to(local(9, 10))
    assert act(client, tech, late["id"], "depart").status_code == 200
    morning.clock.move_to(local(9, 20))  # 20 min after the window, tolerance 15
    arrived = act(client, tech, late["id"], "arrive", lat=31.19, lon=121.44)
    assert arrived.status_code == 200, arrived.get_json()
    assert arrived.get_json()["arrived_late"] is True
    seen = client.get(f"/api/v1/visits/{late['id']}", headers=morning.auth("dispatcher"))
    assert seen.get_json()["arrived_late"] is True


def test_apt_9_arrival_within_the_tolerance_is_not_late(client, morning):
    visit = confirmed_visit(client, morning, local(8), local(9))
    tech = morning.auth("tech_a")
    morning.clock.move_to(local(9, 5))
    assert act(client, tech, visit["id"], "depart").status_code == 200
    morning.clock.move_to(local(9, 14))
    arrived = act(client, tech, visit["id"], "arrive", lat=31.19, lon=121.44)
    assert arrived.status_code == 200 and arrived.get_json()["arrived_late"] is False


def test_apt_9_a_late_technician_sends_a_delay_sms_with_the_new_eta(client, morning, session):
    visit = confirmed_visit(client, morning, local(10), local(11))
    tech = morning.auth("tech_a")
    new_eta = local(11, 40)
    delayed = client.post(
        f"/mobile/v1/visits/{visit['id']}/delay",
        headers=tech,
        json={"new_eta": new_eta.isoformat()},
    )
    assert delayed.status_code == 200, delayed.get_json()
    assert datetime.fromisoformat(delayed.get_json()["delay_eta"]) == new_eta
    texts = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "technician_delayed")
    ).all()
    assert len(texts) == 1 and "11:40" in texts[0] and visit["number"] in texts[0]
    too_early = client.post(
        f"/mobile/v1/visits/{visit['id']}/delay",
        headers=tech,
        json={"new_eta": local(9).isoformat()},
    )
    assert too_early.status_code == 422
    other = client.post(
        f"/mobile/v1/visits/{visit['id']}/delay",
        headers=morning.auth("tech_b"),
        json={"new_eta": new_eta.isoformat()},
    )
    assert other.status_code in (403, 404)
