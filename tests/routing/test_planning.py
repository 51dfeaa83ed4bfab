"""Planning a region's day on the worker: every hard constraint holds; pins, regions, reasons."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.regions.models import Region
from dispatch.users.models import User
from dispatch.visits.models import Visit
from tests.builders import login
from tests.routing.day import KUNSHAN, local, plan, visit_at


def assert_routes_feasible(result: dict, visits: dict[int, dict], skills: dict[int, dict]):
    """Windows, skills, shift 08:30–17:30, no overlap, lunch 11:30–13:30 outside visits."""
    for route in result["routes"]:
        busy = []
        for stop in route["stops"]:
            visit = visits[stop["visit_id"]]
            start = datetime.fromisoformat(stop["start"])
            assert visit["window_start"] <= stop["start"] <= visit["window_end"] or (
                datetime.fromisoformat(visit["window_start"])
                <= start
                <= datetime.fromisoformat(visit["window_end"])
            )
            assert (
                skills[route["technician_id"]].get(visit["required_skill"], 0)
                >= visit["required_level"]
            )
            busy.append((start, start + timedelta(minutes=visit["duration_minutes"])))
        for lunch in route["breaks"]:
            start = datetime.fromisoformat(lunch["start"])
            assert local(11, 30) <= start <= local(12, 45)
            busy.append((start, start + timedelta(minutes=45)))
        busy.sort()
        assert local(8, 30) <= busy[0][0] and busy[-1][1] <= local(17, 30)
        for (_, end), (start, _) in zip(busy, busy[1:], strict=False):
            assert end <= start, "two things at once on one technician's day"


def skills_of(world) -> dict[int, dict]:
    return {
        world.technician_ids["tech_a"]: {"washer": 2},
        world.technician_ids["tech_b"]: {"washer": 2},
        world.technician_ids["tech_c"]: {"fridge": 3, "washer": 1},
    }


def test_plan_runs_on_the_worker_and_every_hard_constraint_holds(client, day, run_worker):
    visits = [
        visit_at(
            client,
            day,
            31.20 + i * 0.01,
            121.44 + (i % 3) * 0.02,
            9 + i % 6,
            11 + i % 6,
            skill="fridge" if i % 4 == 0 else "washer",
            level=2 if i % 4 == 0 else 1,
        )
        for i in range(12)
    ]
    result = plan(client, day, run_worker)
    assert result["progress"] == 100 and result["best_cost"] > 0
    planned = [s["visit_id"] for r in result["result"]["routes"] for s in r["stops"]]
    assert sorted(planned) == sorted(v["id"] for v in visits)
    assert result["result"]["unassigned"] == []
    assert_routes_feasible(result["result"], {v["id"]: v for v in visits}, skills_of(day))
    assert all(r["breaks"] for r in result["result"]["routes"])  # everyone working takes lunch


def test_unassigned_visits_carry_a_reason(client, day, run_worker):
    aircon = visit_at(client, day, 31.2, 121.45, 10, 12, skill="aircon")
    too_skilled = visit_at(client, day, 31.2, 121.45, 10, 12, skill="fridge", level=5)
    result = plan(client, day, run_worker)["result"]
    reasons = {u["visit_id"]: u["reason"] for u in result["unassigned"]}
    assert reasons == {
        aircon["id"]: "no_vehicle_with_skill",
        too_skilled["id"]: "no_vehicle_with_skill",
    }


def test_region_first_unless_neighbours_are_allowed(client, day, session, run_worker):
    kunshan = Region(
        code="SZ",
        name="Kunshan",
        timezone="Asia/Shanghai",
        polygon=KUNSHAN,
        neighbour_ids=[day.region_id],
    )
    session.add(kunshan)
    session.flush()
    # The dispatcher serves both regions (region scoping, issue 11); tokens carry the regions.
    dispatcher = session.scalars(select(User).where(User.username == "dispatcher")).one()
    dispatcher.region_ids = [day.region_id, kunshan.id]
    session.commit()
    day.tokens["dispatcher"] = login(client, "dispatcher")
    visit = visit_at(client, day, 31.25, 121.25, 10, 16)
    assert visit["id"]
    response = client.post(
        "/api/v1/plans",
        headers=day.auth("dispatcher"),
        json={"region_id": kunshan.id, "day": "2026-12-01", "time_limit_s": 1},
    )
    run_worker()
    alone = client.get(
        f"/api/v1/plans/{response.get_json()['id']}", headers=day.auth("dispatcher")
    ).get_json()["result"]
    assert alone["routes"] == [] and [u["visit_id"] for u in alone["unassigned"]] == [visit["id"]]
    response = client.post(
        "/api/v1/plans",
        headers=day.auth("dispatcher"),
        json={
            "region_id": kunshan.id,
            "day": "2026-12-01",
            "time_limit_s": 1,
            "allow_neighbours": True,
        },
    )
    run_worker()
    helped = client.get(
        f"/api/v1/plans/{response.get_json()['id']}", headers=day.auth("dispatcher")
    ).get_json()["result"]
    assert [s["visit_id"] for s in helped["routes"][0]["stops"]] == [visit["id"]]


def test_pinned_technician_and_time_are_kept(client, day, run_worker):
    far_from_b = visit_at(client, day, 31.30, 121.60, 9, 17)
    tech_b = day.technician_ids["tech_b"]
    pinned = client.post(
        f"/api/v1/visits/{far_from_b['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "technician_id": tech_b,
            "pin_technician": True,
            "pinned_start": local(15).isoformat(),
        },
    )
    assert pinned.status_code == 200, pinned.get_json()
    result = plan(client, day, run_worker)["result"]
    route = next(r for r in result["routes"] if r["technician_id"] == tech_b)
    stop = next(s for s in route["stops"] if s["visit_id"] == far_from_b["id"])
    start = datetime.fromisoformat(stop["start"])
    assert local(15) <= start <= local(15, 5)


def test_pin_outside_the_window_is_refused(client, day):
    visit = visit_at(client, day, 31.2, 121.45, 9, 11)
    response = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "pin_technician": False,
            "pinned_start": local(14).isoformat(),
        },
    )
    assert response.status_code == 422 and "pinned_start" in response.get_json()["details"]


def test_accept_writes_assignments_and_etas_and_discard_writes_nothing(
    client, day, session, run_worker
):
    visits = [visit_at(client, day, 31.21, 121.46 + i * 0.01, 9, 13) for i in range(3)]
    discarded = plan(client, day, run_worker)
    response = client.post(
        f"/api/v1/plans/{discarded['id']}/discard", headers=day.auth("dispatcher")
    )
    assert response.get_json()["status"] == "discarded"
    assert all(session.get(Visit, v["id"]).technician_id is None for v in visits)
    chosen = plan(client, day, run_worker)
    accepted = client.post(f"/api/v1/plans/{chosen['id']}/accept", headers=day.auth("dispatcher"))
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    again = client.post(f"/api/v1/plans/{chosen['id']}/accept", headers=day.auth("dispatcher"))
    assert again.status_code == 409
    session.expire_all()
    for route in chosen["result"]["routes"]:
        for position, stop in enumerate(route["stops"], start=1):
            visit = session.get(Visit, stop["visit_id"])
            assert visit.technician_id == route["technician_id"]
            stop_of = visit.route_stop
            assert stop_of.route_position == position and stop_of.plan_id == chosen["id"]
            assert visit.route_stop.planned_start == datetime.fromisoformat(stop["start"])
    routed = session.scalars(select(AuditEntry).where(AuditEntry.action == "visit.routed")).all()
    assert len(routed) == 3


def test_insertion_takes_the_route_with_least_extra_travel(client, day, session, run_worker):
    near_a = [
        visit_at(client, day, 31.20, 121.40 + i * 0.005, 9 + 2 * i, 11 + 2 * i) for i in range(2)
    ]
    near_c = visit_at(client, day, 31.30, 121.60, 9, 12)
    chosen = plan(client, day, run_worker)
    client.post(f"/api/v1/plans/{chosen['id']}/accept", headers=day.auth("dispatcher"))
    session.expire_all()
    owner = session.get(Visit, near_a[0]["id"]).technician_id
    urgent = visit_at(client, day, 31.201, 121.4025, 14, 16)
    proposal = client.post(
        f"/api/v1/visits/{urgent['id']}/insertion", headers=day.auth("dispatcher"), json={}
    )
    assert proposal.status_code == 200, proposal.get_json()
    assert proposal.get_json()["technician_id"] == owner
    assert session.get(Visit, urgent["id"]).technician_id is None  # a proposal changes nothing
    applied = client.post(
        f"/api/v1/visits/{urgent['id']}/insertion",
        headers=day.auth("dispatcher"),
        json={"apply": True},
    ).get_json()
    session.expire_all()
    stored = session.get(Visit, urgent["id"])
    assert stored.technician_id == owner
    assert stored.route_stop.planned_start == datetime.fromisoformat(applied["planned_start"])
    assert near_c["id"]


def test_insertion_without_any_feasible_place_is_409(client, day):
    impossible = visit_at(client, day, 31.2, 121.45, 18, 20)  # after every shift
    response = client.post(
        f"/api/v1/visits/{impossible['id']}/insertion", headers=day.auth("dispatcher"), json={}
    )
    assert response.status_code == 409
    assert response.get_json()["details"]["reason"] in {"outside_time_window", "capacity_or_shift"}


def test_sick_technician_replan_moves_visits_but_keeps_pins(client, day, session, run_worker):
    visits = [visit_at(client, day, 31.21, 121.45 + i * 0.01, 10, 16) for i in range(4)]
    tech_a = day.technician_ids["tech_a"]
    pinned = visits[0]
    client.post(
        f"/api/v1/visits/{pinned['id']}/pin",
        headers=day.auth("dispatcher"),
        json={
            "reason": "Customer asked for this technician",
            "technician_id": tech_a,
            "pin_technician": True,
        },
    )
    day.clock.move_to(local(9))
    sick = client.post(
        f"/api/v1/technicians/{tech_a}/absences",
        headers=day.auth("dispatcher"),
        json={
            "starts_at": local(9).isoformat(),
            "ends_at": local(18).isoformat(),
            "reason": "sick",
        },
    )
    assert sick.status_code == 201
    result = plan(client, day, run_worker, from_now=True)["result"]
    assert tech_a not in [r["technician_id"] for r in result["routes"]]
    assert [u["visit_id"] for u in result["unassigned"]] == [pinned["id"]]
    planned = {s["visit_id"] for r in result["routes"] for s in r["stops"]}
    assert planned == {v["id"] for v in visits[1:]}
    for route in result["routes"]:
        assert all(datetime.fromisoformat(s["start"]) >= local(9) for s in route["stops"])


def test_plan_requests_are_validated(client, day):
    unknown = client.post(
        "/api/v1/plans",
        headers=day.auth("dispatcher"),
        json={"region_id": 999, "day": "2026-12-01"},
    )
    assert unknown.status_code == 422
    by_technician = client.post(
        "/api/v1/plans",
        headers=day.auth("tech_a"),
        json={"region_id": day.region_id, "day": "2026-12-01"},
    )
    assert by_technician.status_code == 403
    assert client.get("/api/v1/plans/999", headers=day.auth("dispatcher")).status_code == 404


def test_rte_16_region_day_plans_come_from_the_planner_with_the_configured_threads_and_seed(
    client, day, session, config, monkeypatch
):
    """Issue 16: the region-day plan is the Planner's (PyVRP), its threads and seed from config."""
    from dispatch.routing import service as routing
    from dispatch.routing.planner import Planner

    visits = [visit_at(client, day, 31.20 + i * 0.01, 121.44, 9 + i, 12 + i) for i in range(4)]
    made = []

    class Recording(Planner):
        def __init__(self, threads: int = 1, seed: int = 1, iterations=None) -> None:
            made.append((threads, seed))
            super().__init__(threads=threads, seed=seed, iterations=iterations)

    monkeypatch.setattr(routing, "Planner", Recording)
    response = client.post(
        "/api/v1/plans",
        headers=day.auth("dispatcher"),
        json={"region_id": day.region_id, "day": "2026-12-01", "time_limit_s": 1},
    )
    plan_id = response.get_json()["id"]
    tuned = config.with_overrides(plan_threads=2, plan_seed=7)
    assert routing.run_plan(session, config=tuned, plan_id=plan_id) == "ready"
    assert made == [(2, 7)]
    found = client.get(f"/api/v1/plans/{plan_id}", headers=day.auth("dispatcher")).get_json()
    assert found["progress"] == 100 and found["result"]["solver"] == "pyvrp"
    planned = sorted(s["visit_id"] for r in found["result"]["routes"] for s in r["stops"])
    assert planned == sorted(v["id"] for v in visits)
