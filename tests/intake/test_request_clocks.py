"""A job request's booking clock runs on its region's working calendar (DSP-1, APT-1) and its
72-hour answer clock records a late answer when it is given (APT-12)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from dispatch.db import session_scope
from dispatch.regions.models import Region
from tests.builders import login, repair_request

SH = ZoneInfo("Asia/Shanghai")


def at_local(*parts) -> datetime:
    return datetime(*parts, tzinfo=SH)


def registered(client, world, moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        world.tokens["dispatcher"] = login(client, "dispatcher")
        return repair_request(client, world)


def due(request: dict, name: str) -> datetime:
    return datetime.fromisoformat(request["clock"][name]).astimezone(SH)


def test_dsp_1_booking_due_skips_national_day_holidays(client, world):
    # Wednesday 30 Sept 2026; 1–7 October are public holidays: due Thursday 8 October.
    request = registered(client, world, at_local(2026, 9, 30, 10, 0))
    assert due(request, "booking_due_at") == at_local(2026, 10, 8, 10, 0)
    # the 72 h answer counts elapsed hours: the customer waits through holidays too
    assert due(request, "answer_due_at") == at_local(2026, 10, 3, 10, 0)


def test_dsp_1_make_up_saturday_is_a_working_day_for_the_booking_clock(client, world):
    # Friday 9 October 2026: Saturday 10 October is a make-up working day (调休).
    friday = registered(client, world, at_local(2026, 10, 9, 10, 0))
    assert due(friday, "booking_due_at") == at_local(2026, 10, 10, 10, 0)
    # Registered on that Saturday: Sunday is a rest day, due on Monday.
    saturday = registered(client, world, at_local(2026, 10, 10, 16, 30))
    assert due(saturday, "booking_due_at") == at_local(2026, 10, 12, 16, 30)


def test_dsp_1_a_region_on_the_weekday_calendar_ignores_public_holidays(client, world):
    with session_scope() as session:
        session.get(Region, world.region_id).calendar = "weekdays"
    request = registered(client, world, at_local(2026, 9, 30, 10, 0))
    assert due(request, "booking_due_at") == at_local(2026, 10, 1, 10, 0)


def test_dsp_1_contact_overdue_list_waits_for_the_working_day_due_time(client, world):
    request = registered(client, world, at_local(2026, 9, 30, 10, 0))
    url = "/api/v1/requests/contact-overdue"
    for moment, listed in ((at_local(2026, 10, 2, 9), []), (at_local(2026, 10, 8, 10, 1), [1])):
        with time_machine.travel(moment, tick=False):
            world.tokens["dispatcher"] = login(client, "dispatcher")
            reply = client.get(url, headers=world.auth("dispatcher"))
        assert reply.status_code == 200, reply.get_json()
        ids = [r["id"] for r in reply.get_json()]
        assert ids == [request["id"]] * len(listed)
        if ids:
            contact_due = datetime.fromisoformat(reply.get_json()[0]["contact_due"])
            assert contact_due == at_local(2026, 10, 8, 10, 0)


def _answer(client, world, request: dict, when: datetime) -> dict:
    """Diagnose at registration + 1 h, then book and confirm a date at `when`."""
    with time_machine.travel(when, tick=False):
        world.tokens["dispatcher"] = login(client, "dispatcher")
        auth = world.auth("dispatcher")
        diagnosis = {"diagnosis": "Worn drive belt"}
        path = f"/api/v1/requests/{request['id']}"
        assert client.post(f"{path}/diagnosis", headers=auth, json=diagnosis).status_code == 200
        start = (when + timedelta(days=1)).replace(hour=10, minute=0)
        while start.weekday() >= 5:
            start += timedelta(days=1)
        visit = client.post(
            f"{path}/visits",
            headers=auth,
            json={
                "technician_id": world.technician_ids["tech_a"],
                "window_start": start.isoformat(),
                "window_end": (start + timedelta(hours=2)).isoformat(),
            },
        )
        assert visit.status_code == 201, visit.get_json()
        confirmed = client.post(f"/api/v1/visits/{visit.get_json()['id']}/confirm", headers=auth)
        assert confirmed.status_code == 200, confirmed.get_json()
        return client.get(path, headers=auth).get_json()


def test_apt_12_an_answer_after_72_hours_is_stored_as_late_on_the_request(client, world):
    start = at_local(2026, 11, 2, 9, 0)  # a Monday
    on_time = registered(client, world, start)
    late = registered(client, world, start + timedelta(minutes=5))
    answered = _answer(client, world, on_time, start + timedelta(hours=30))
    assert answered["clock"]["answered_late"] is False
    assert due(answered, "answered_at") == start + timedelta(hours=30)
    answered = _answer(client, world, late, start + timedelta(hours=80))
    assert answered["clock"]["answered_late"] is True
    assert due(answered, "answered_at") == start + timedelta(hours=80)
    # the report reads the stored flag: one of two answers breached the 72 h promise
    with time_machine.travel(start + timedelta(days=10), tick=False):
        world.tokens["quality"] = login(client, "quality")
        period = {"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()}
        report = client.get(
            "/api/v1/reports/sla", headers=world.auth("quality"), query_string=period
        ).get_json()
    line = next(line for line in report if line["metric"] == "answer_72h")
    assert (line["total"], line["breached"], line["rate"]) == (2, 1, 50.0)


def test_apt_12_a_request_resolved_without_a_visit_is_answered_then(client, world):
    request = registered(client, world, at_local(2026, 11, 2, 9, 0))
    with time_machine.travel(at_local(2026, 11, 6, 9, 0), tick=False):  # 96 h later
        world.tokens["dispatcher"] = login(client, "dispatcher")
        auth = world.auth("dispatcher")
        path = f"/api/v1/requests/{request['id']}"
        body = {"answer": "Reset the control board", "how": "remote"}
        assert client.post(f"{path}/resolve", headers=auth, json=body).status_code == 200
        clock = client.get(path, headers=auth).get_json()["clock"]
    assert clock["answered_late"] is True
    assert due({"clock": clock}, "answered_at") == at_local(2026, 11, 6, 9, 0)
