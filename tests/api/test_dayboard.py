"""Issue 12, the day board's data: a region's day with timelines, the tray, live status and an
ETag for polling; region-scoped through dispatch.access, in a fixed number of queries."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from dispatch.db import db
from dispatch.privacy.models import TechnicianPosition
from dispatch.regions.models import Region
from dispatch.users.models import User
from tests.routing.day import KUNSHAN, local, plan, visit_at

BOARD = "/api/v1/dayboard?region_id={}&day=2026-12-01"


@contextmanager
def counted():
    seen = []

    def listener(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _board(client, day, **headers):
    return client.get(BOARD.format(day.region_id), headers=day.auth("dispatcher") | headers)


def test_day_board_shows_timelines_unassigned_and_routes_after_a_plan_issue_12(
    client, day, run_worker
):
    for i in range(3):
        visit_at(client, day, 31.19 + 0.012 * i, 121.42 + 0.015 * i, 9 + i, 12 + i)
    before = _board(client, day).get_json()
    assert len(before["tray"]["unassigned"]) == 3 == before["totals"]["unassigned"]
    assert {t["name"] for t in before["technicians"]} >= {"Tech C"}
    assert all(
        item["kind"] in {"break", "absence"} for t in before["technicians"] for item in t["items"]
    )  # nobody has a visit yet: only lunch shows

    accepted = plan(client, day, run_worker)
    client.post(f"/api/v1/plans/{accepted['id']}/accept", headers=day.auth("dispatcher"))
    after = _board(client, day).get_json()
    assert after["tray"]["unassigned"] == [] and after["totals"]["unassigned"] == 0
    routed = [t for t in after["technicians"] if t["route"]]
    assert sum(len(t["route"]) for t in routed) == 3
    kinds = {item["kind"] for t in routed for item in t["items"]}
    assert {"visit", "travel", "break"} <= kinds
    assert after["totals"]["travel_seconds"] > 0


def test_day_board_answers_304_while_nothing_changed_and_200_after_a_change_dsp_12(client, day):
    first = _board(client, day)
    etag = first.headers["ETag"]
    again = _board(client, day, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    visit_at(client, day, 31.2, 121.45, 10, 12)
    changed = _board(client, day, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_day_board_shows_a_technicians_status_and_position_from_the_phone_dsp_12(
    client, day, session
):
    visit = visit_at(client, day, 31.2, 121.45, 9, 11)
    tech_id = day.technician_ids["tech_c"]
    pinned = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "technician_id": tech_id,
            "pin_technician": True,
            "reason": "Customer asked for this technician",
            "pinned_start": local(9, 30).isoformat(),
        },
    )
    assert pinned.status_code == 200, pinned.get_json()
    lane = next(t for t in _board(client, day).get_json()["technicians"] if t["id"] == tech_id)
    assert lane["status"] == "planned" and lane["position"]["source"] == "home"

    from dispatch.visits.models import Visit

    row = session.get(Visit, visit["id"])
    moment = local(9, 20)
    row.confirm(at=local(8))
    row.depart(at=moment, received_at=moment, zone=local(9).tzinfo)
    session.commit()
    lane = next(t for t in _board(client, day).get_json()["technicians"] if t["id"] == tech_id)
    assert lane["status"] == "en_route"
    row.arrive(at=moment + timedelta(minutes=5), received_at=moment, lat=31.2001, lon=121.4502)
    session.commit()
    lane = next(t for t in _board(client, day).get_json()["technicians"] if t["id"] == tech_id)
    assert lane["status"] == "on_site"
    assert lane["position"]["source"] == "check_in" and lane["position"]["lat"] == 31.2001
    # a later GPS fix (taken on the visit, with consent) moves the position on (DSP-12, PIPL 28)
    session.add(
        TechnicianPosition(
            technician_id=tech_id,
            visit_id=visit["id"],
            lat=31.2105,
            lon=121.4601,
            taken_at=moment + timedelta(minutes=20),
        )
    )
    session.commit()
    lane = next(t for t in _board(client, day).get_json()["technicians"] if t["id"] == tech_id)
    assert lane["position"]["source"] == "gps" and lane["position"]["lat"] == 31.2105


def test_day_board_marks_visits_whose_eta_is_past_the_window_at_risk_issue_12(client, day):
    visit = visit_at(client, day, 31.2, 121.45, 9, 11)
    tech_id = day.technician_ids["tech_c"]
    client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "technician_id": tech_id,
            "pin_technician": True,
            "reason": "Customer asked for this technician",
            "pinned_start": local(10, 30).isoformat(),
        },
    )
    assert _board(client, day).get_json()["tray"]["at_risk"] == []
    day.clock.move_to(local(11, 30))  # still not there when the window closed
    board = _board(client, day).get_json()
    assert board["tray"]["at_risk"] == [visit["id"]]


def test_day_board_of_a_region_the_user_does_not_serve_is_not_found_issue_12(client, day, session):
    other = Region(code="SZ", name="Suzhou", timezone="Asia/Shanghai", polygon=KUNSHAN)
    session.add(other)
    session.commit()
    hidden = client.get(BOARD.format(other.id), headers=day.auth("dispatcher"))
    assert hidden.status_code == 404
    regions = client.get("/api/v1/dayboard/regions", headers=day.auth("dispatcher")).get_json()
    assert [r["id"] for r in regions] == [day.region_id]
    everyone = client.get("/api/v1/dayboard/regions", headers=day.auth("admin")).get_json()
    assert {r["id"] for r in everyone} == {day.region_id, other.id}
    assert session.query(User).count() > 0


def test_day_board_refuses_unknown_query_parameters_issue_12(client, day):
    response = client.get(BOARD.format(day.region_id) + "&page=2", headers=day.auth("dispatcher"))
    assert response.status_code == 422


def test_day_board_runs_the_same_number_of_queries_for_3_or_12_visits_issue_12(client, day):
    for i in range(3):
        visit_at(client, day, 31.19 + 0.01 * i, 121.42, 9, 12)
    _board(client, day)  # warm: the session's first query loads nothing extra later
    with counted() as few:
        assert _board(client, day).status_code == 200
    for i in range(9):
        visit_at(client, day, 31.2 + 0.01 * i, 121.43, 10, 13)
    with counted() as many:
        assert _board(client, day).status_code == 200
    assert len(few) == len(many) <= 12


def test_day_board_shows_an_absence_on_the_timeline_and_the_technician_absent_issue_12(
    client, day, session
):
    from dispatch.technicians.models import Absence

    tech_b = day.technician_ids["tech_b"]
    session.add(
        Absence(technician_id=tech_b, starts_at=local(6), ends_at=local(12), reason="Dentist")
    )
    session.commit()
    lane = next(t for t in _board(client, day).get_json()["technicians"] if t["id"] == tech_b)
    assert lane["status"] == "absent"
    [absence] = [i for i in lane["items"] if i["kind"] == "absence"]
    assert absence["label"] == "Dentist" and absence["start"] == "2026-11-30T22:00:00+00:00"
    assert lane["shift"] == ["2026-12-01T00:30:00+00:00", "2026-12-01T09:30:00+00:00"]
