"""Periodic return visits (定期回访, FUP-9): off by default, plans per service class or
product, a sweep on a frozen clock that creates each due task once, and recorded outcomes."""

from __future__ import annotations

from datetime import datetime

import time_machine
from sqlalchemy import event, func, select

from dispatch.alerts.models import StaffAlert
from dispatch.db import db
from dispatch.returnvisits.models import ReturnVisit
from tests.access.world import build
from tests.aftercare.helpers import complete_visit, local, relogin, sweep
from tests.builders import build_world, login

STAFF = ("admin", "manager", "dispatcher")


def _local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return local(1, 0).replace(year=year, month=month, day=day, hour=hour, minute=minute)


def _tasks(session) -> list[ReturnVisit]:
    session.expire_all()
    return list(session.scalars(select(ReturnVisit).order_by(ReturnVisit.id)))


def test_fup_9_return_visits_are_off_by_default(client, session, config):
    with time_machine.travel(local(1, 9), tick=False) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(_local(2028, 1, 1, 9))
        assert sweep(config)["return_visit_plans"] == 0
        relogin(client, world, "dispatcher")
        listed = client.get("/api/v1/return-visits", headers=world.auth("dispatcher")).get_json()
    assert listed["items"] == [] and _tasks(session) == []


def test_fup_9_service_class_plan_creates_each_due_task_once_and_records_outcomes(
    client, session, config
):
    with time_machine.travel(local(1, 9), tick=False) as clock:
        world = build_world(client)
        plan = client.post(
            "/api/v1/return-visit-plans",
            headers=world.auth("manager"),
            json={"service_class": "A", "interval_months": 6},
        )
        assert plan.status_code == 201, plan.get_json()
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(_local(2027, 6, 1, 12, 59))
        sweep(config)
        assert _tasks(session) == []  # not before completion + 6 months
        clock.move_to(_local(2027, 6, 1, 13, 1))
        sweep(config)
        sweep(config)  # a second run (or a second worker) creates nothing new
        first = _tasks(session)
        relogin(client, world, *STAFF)
        me = world.auth("dispatcher")
        listed = client.get("/api/v1/return-visits?status=due", headers=me).get_json()["items"]
        done = client.post(
            f"/api/v1/return-visits/{first[0].id}/outcome",
            headers=me,
            json={"outcome": "satisfied", "note": "Machine runs well"},
        )
        again = client.post(
            f"/api/v1/return-visits/{first[0].id}/outcome", headers=me, json={"outcome": "declined"}
        )
        clock.move_to(_local(2027, 12, 1, 13, 1))
        sweep(config)
    assert len(first) == 1 and first[0].due_at == _local(2027, 6, 1, 13)
    assert first[0].plan_id == plan.get_json()["id"] and first[0].status == "due"
    assert [item["id"] for item in listed] == [first[0].id]
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["outcome"]) == ("done", "satisfied")
    assert done.get_json()["done_by_id"] is not None
    assert again.status_code == 409 and again.get_json()["error_code"] == "return_visit_done"
    tasks = _tasks(session)
    assert [t.due_at for t in tasks] == [_local(2027, 6, 1, 13), _local(2027, 12, 1, 13)]
    assert (tasks[0].outcome, tasks[0].note) == ("satisfied", "Machine runs well")
    kinds = session.scalars(select(StaffAlert.kind).where(StaffAlert.kind == "return_visit.due"))
    assert len(list(kinds)) == 2


def test_fup_9_product_plan_counts_from_the_latest_completion_and_stops_when_declined(
    client, session, config
):
    with time_machine.travel(local(1, 9), tick=False) as clock:
        world = build_world(client)
        created = client.post(
            "/api/v1/return-visit-plans",
            headers=world.auth("admin"),
            json={"product_model": "KX-2200", "interval_months": 3},
        )
        assert created.status_code == 201, created.get_json()
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(10, 9))
        relogin(client, world, "dispatcher")
        world.tokens["tech_a"] = login(
            client, "tech_a", "/mobile/v1/auth/login", device_id="dev-tech_a"
        )
        complete_visit(client, world, clock, local(10, 13), start=local(10, 11))
        clock.move_to(_local(2027, 3, 5, 9))
        sweep(config)
        assert _tasks(session) == []  # the first job's date passed, but a newer job counts
        clock.move_to(_local(2027, 3, 10, 13, 1))
        sweep(config)
        tasks = _tasks(session)
        relogin(client, world, "dispatcher")
        declined = client.post(
            f"/api/v1/return-visits/{tasks[0].id}/outcome",
            headers=world.auth("dispatcher"),
            json={"outcome": "declined"},
        )
        clock.move_to(_local(2027, 9, 1, 9))
        sweep(config)
    assert len(tasks) == 1 and tasks[0].due_at == _local(2027, 3, 10, 13)
    assert declined.status_code == 200
    assert len(_tasks(session)) == 1  # no more after the customer declined


def test_fup_9_plans_are_an_admin_setting_validated_and_switchable(client, session, config):
    with time_machine.travel(local(1, 9), tick=False) as clock:
        world = build_world(client)
        manager = world.auth("manager")
        both = client.post(
            "/api/v1/return-visit-plans",
            headers=manager,
            json={"service_class": "A", "product_model": "KX-2200", "interval_months": 6},
        )
        too_long = client.post(
            "/api/v1/return-visit-plans",
            headers=manager,
            json={"service_class": "A", "interval_months": 61},
        )
        by_dispatcher = client.post(
            "/api/v1/return-visit-plans",
            headers=world.auth("dispatcher"),
            json={"service_class": "A", "interval_months": 6},
        )
        plan = client.post(
            "/api/v1/return-visit-plans",
            headers=manager,
            json={"service_class": "A", "interval_months": 6},
        ).get_json()
        twice = client.post(
            "/api/v1/return-visit-plans",
            headers=manager,
            json={"service_class": "A", "interval_months": 12},
        )
        off = client.patch(
            f"/api/v1/return-visit-plans/{plan['id']}", headers=manager, json={"active": False}
        )
        listed = client.get("/api/v1/return-visit-plans", headers=world.auth("dispatcher"))
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(_local(2027, 7, 1, 9))
        assert sweep(config)["return_visit_plans"] == 0
    assert both.status_code == 422 and both.get_json()["error_code"] == "return_plan_key"
    assert too_long.status_code == 422
    assert by_dispatcher.status_code == 403
    assert twice.status_code == 409 and twice.get_json()["error_code"] == "return_plan_exists"
    assert off.status_code == 200 and off.get_json()["active"] is False
    assert [p["id"] for p in listed.get_json()] == [plan["id"]]
    assert session.scalar(select(func.count(ReturnVisit.id))) == 0


def test_fup_9_return_visits_are_region_scoped_and_listed_in_constant_queries(client, session):
    world = build(client, roles=("dispatcher", "cs_manager"))
    own, other = world.records[1], world.records[2]
    plan_id = session.get(ReturnVisit, own.return_visit_id).plan_id
    for month in range(1, 5):
        session.add(
            ReturnVisit(
                plan_id=plan_id,
                request_id=own.request_id,
                customer_id=own.customer_id,
                due_at=_local(2027, month, 1, 9),
            )
        )
    session.commit()
    me = world.auth("dispatcher")

    def ids(headers, query=""):
        reply = client.get(f"/api/v1/return-visits{query}", headers=headers)
        return [item["id"] for item in reply.get_json()["items"]]

    mine = ids(me)
    assert own.return_visit_id in mine and other.return_visit_id not in mine and len(mine) == 5
    assert other.return_visit_id in ids(world.auth("cs_manager"))
    hidden = client.get(f"/api/v1/return-visits/{other.return_visit_id}", headers=me)
    refused = client.post(
        f"/api/v1/return-visits/{other.return_visit_id}/outcome",
        headers=me,
        json={"outcome": "satisfied"},
    )
    assert hidden.status_code == 404 and refused.status_code == 404
    first = client.get("/api/v1/return-visits?limit=2", headers=me).get_json()
    rest = client.get(
        f"/api/v1/return-visits?limit=10&after={first['page']['next_cursor']}", headers=me
    ).get_json()
    assert [i["id"] for i in first["items"] + rest["items"]] == mine

    def count(query):
        statements = []
        listener = lambda *_a: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/api/v1/return-visits{query}", headers=me).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert count("?limit=1") == count("?limit=50")
