"""Plan acceptance and pins meet time held outside the planner's view (issue 10 §2, RTE-4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from dispatch.visits.models import Visit
from tests.builders import release_visit
from tests.mobile_api.helpers import act
from tests.routing.day import local, plan, visit_at


def _stop(result: dict) -> tuple[int, int, datetime]:
    route = next(r for r in result["routes"] if r["stops"])
    stop = route["stops"][0]
    return route["technician_id"], stop["visit_id"], datetime.fromisoformat(stop["start"])


def _send_off(client, day, technician_id: int, visit: dict, start: datetime) -> None:
    """Pin a visit onto the technician at `start` and send them off to it (it is under way)."""
    pinned = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "technician_id": technician_id,
            "pin_technician": True,
            "pinned_start": start.isoformat(),
        },
    )
    assert pinned.status_code == 200, pinned.get_json()
    release_visit(client, day, visit["id"])
    username = next(name for name, tid in day.technician_ids.items() if tid == technician_id)
    assert act(client, day.auth(username), visit["id"], "depart").status_code == 200


def test_rte_4_accepting_a_plan_over_time_held_by_a_visit_under_way_is_409(
    client, day, session, run_worker
):
    waiting = visit_at(client, day, 31.21, 121.46, 9, 13)
    ready = plan(client, day, run_worker)
    technician_id, visit_id, start = _stop(ready["result"])
    assert visit_id == waiting["id"]
    # After planning, the technician is sent to another visit that holds the planned time.
    other = visit_at(client, day, 31.22, 121.47, 8, 13, minutes=240)
    _send_off(client, day, technician_id, other, start - timedelta(minutes=30))

    response = client.post(f"/api/v1/plans/{ready['id']}/accept", headers=day.auth("dispatcher"))

    assert response.status_code == 409, response.get_json()
    body = response.get_json()
    assert body["error_code"] == "time_held"
    assert body["details"]["visits"] == [
        {"visit_id": waiting["id"], "technician_id": technician_id, "held_by": other["id"]}
    ]
    session.expire_all()
    assert session.get(Visit, waiting["id"]).technician_id is None
    again = client.get(f"/api/v1/plans/{ready['id']}", headers=day.auth("dispatcher"))
    assert again.get_json()["status"] == "ready"


def test_rte_4_pinning_onto_time_held_by_a_visit_under_way_is_409(client, day, session):
    tech_a = day.technician_ids["tech_a"]
    held = visit_at(client, day, 31.22, 121.47, 8, 13, minutes=240)
    _send_off(client, day, tech_a, held, local(9))
    waiting = visit_at(client, day, 31.21, 121.46, 9, 13)

    response = client.post(
        f"/api/v1/visits/{waiting['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "technician_id": tech_a,
            "pin_technician": True,
            "pinned_start": local(10).isoformat(),
        },
    )

    assert response.status_code == 409, response.get_json()
    body = response.get_json()
    assert body["error_code"] == "time_held"
    assert body["details"]["visits"] == [
        {"visit_id": waiting["id"], "technician_id": tech_a, "held_by": held["id"]}
    ]
    session.expire_all()
    assert session.get(Visit, waiting["id"]).technician_id is None


def test_rte_4_a_change_of_the_route_stop_alone_is_a_change_of_the_visit(client, day, session):
    """Sync, If-Match and the kept region-days see pins and starts (they live in route_stops)."""
    visit = visit_at(client, day, 31.21, 121.46, 9, 13)
    pinned = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "pin_technician": False,
            "pinned_start": local(10).isoformat(),
        },
    )
    assert pinned.status_code == 200, pinned.get_json()
    assert pinned.get_json()["version"] == visit["version"] + 1
    assert datetime.fromisoformat(pinned.get_json()["pinned_start"]) == local(10)
    stop = session.get(Visit, visit["id"]).route_stop
    assert (stop.pinned_technician, stop.pinned_start) == (False, local(10))
