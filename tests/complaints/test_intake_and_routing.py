"""A complaint as it comes in: its record, its handler, its first owner, the technician's
on-site path, the acknowledgement and the resolution target (CMP-1, 2, 4, 5, 6, 8, 10)."""

from __future__ import annotations

import time_machine
from sqlalchemy import event, select

from dispatch.actors import SYSTEM
from dispatch.db import db, session_scope
from dispatch.notifications.models import SmsMessage
from dispatch.regions.models import Region
from dispatch.users import service as users
from tests.aftercare.helpers import local, relogin, sweep
from tests.builders import PASSWORD, book_visit, login, repair_request
from tests.complaints.helpers import (
    act,
    add_customer_with_asset,
    alert_kinds,
    clocks_of,
    file_complaint,
    governed_world,
    mobile,
    ok,
    open_case,
    read,
    user_id,
)


def test_cmp_1_complaint_records_place_course_people_job_and_technician(client, gworld):
    visit = book_visit(client, gworld)
    complaint = file_complaint(
        client,
        gworld,
        visit_id=visit["id"],
        place="Customer's kitchen, Xuhui",
        course_of_events="The technician left the old belt on the floor and argued",
        involved=["Tech A", "Spare parts department"],
        expected_resolution="An apology and a cleaning",
    )
    assert complaint["place"] == "Customer's kitchen, Xuhui"
    assert complaint["course_of_events"].startswith("The technician left")
    assert complaint["involved"] == ["Tech A", "Spare parts department"]
    assert complaint["request_id"] == visit["request_id"]  # the linked job
    assert complaint["technician_id"] == gworld.technician_ids["tech_a"]


def test_cmp_4_handler_is_chosen_by_category_and_department_never_the_person_complained_about(
    client, session, gworld
):
    routes = [
        {"category": "service_attitude", "handler_id": user_id(session, "head")},
        {
            "category": "service_attitude",
            "department": "installation",
            "handler_id": user_id(session, "handler"),
        },
    ]
    for route in routes:
        ok(client.post("/api/v1/complaints/routes", headers=gworld.auth("manager"), json=route))
    by_category = file_complaint(client, gworld)
    by_department = file_complaint(client, gworld, department="installation")
    about_handler = file_complaint(
        client, gworld, department="installation", subject_user_id=user_id(session, "handler")
    )
    unrouted = file_complaint(client, gworld, category="delay")
    unrouted_high = file_complaint(client, gworld, category="delay", priority="high")
    owners = [
        c["owner_id"] for c in (by_category, by_department, about_handler, unrouted, unrouted_high)
    ]
    assert owners == [
        user_id(session, "head"),
        user_id(session, "handler"),  # category and department: the most specific route
        user_id(session, "head"),  # the person complained about never handles it
        user_id(session, "handler"),  # CMP-8: a medium priority's default owner role
        user_id(session, "head"),  # a high priority's default owner role
    ]
    assert {c["first_owner_id"] for c in (by_category, unrouted)} == {
        user_id(session, "dispatcher")
    }


def test_cmp_2_first_owner_keeps_read_access_and_hears_of_progress_until_closure(
    client, session, gworld
):
    visit = book_visit(client, gworld)
    taken = ok(
        mobile(
            client,
            gworld,
            f"/visits/{visit['id']}/complaints",
            {"category": "delay", "nature": "soft", "description": "You came two hours late"},
        )
    )
    hand = {"to_user_id": user_id(session, "dispatcher"), "reason": "Customer service takes it"}
    ok(mobile(client, gworld, f"/complaints/{taken['id']}/forward", hand))
    open_case(client, gworld, taken)
    own = client.get(f"/mobile/v1/complaints/{taken['id']}", headers=gworld.auth("tech_a"))
    other = client.get(f"/mobile/v1/complaints/{taken['id']}", headers=gworld.auth("tech_b"))
    assert own.status_code == 200 and own.get_json()["status"] == "assigned"
    assert own.get_json()["first_owner_id"] == user_id(session, "tech_a")
    assert other.status_code == 404
    assert alert_kinds(session, "tech_a") == ["complaint.progress", "complaint.progress"]


def test_cmp_5_technician_resolves_on_the_spot_or_forwards_within_30_min(client, session, config):
    with time_machine.travel(local(7, 10), tick=True) as clock:
        world = governed_world(client)
        visit = book_visit(client, world, start=local(8, 10))
        body = {"category": "service_attitude", "nature": "soft", "description": "Too noisy"}
        path = f"/visits/{visit['id']}/complaints"
        on_spot, late = ok(mobile(client, world, path, body)), ok(mobile(client, world, path, body))
        assert on_spot["status"] == "received" and on_spot["channel"] == "technician_app"
        assert clocks_of(on_spot)["forwarding"]["due_at"].startswith("2026-12-07T02:30")
        fixed = {"resolution": "Fitted the damping feet; quiet now", "remedies": ["repair"]}
        resolved = ok(mobile(client, world, f"/complaints/{on_spot['id']}/on-spot", fixed))
        again = mobile(client, world, f"/complaints/{on_spot['id']}/on-spot", fixed)
        clock.move_to(local(7, 10, 31))
        assert sweep(config)["complaint_breaches"] >= 1
        hand = {"to_user_id": user_id(session, "dispatcher"), "reason": "Customer wants more"}
        forwarded = ok(mobile(client, world, f"/complaints/{late['id']}/forward", hand))
    assert resolved["status"] == "resolved" and resolved["plan_steps"].startswith("Fitted")
    state = clocks_of(resolved)
    assert state["forwarding"]["met_at"] and "followup" in state  # FUP-7 still to come
    assert again.status_code == 409
    late_clock = clocks_of(forwarded)["forwarding"]
    assert late_clock["breached_at"] and late_clock["met_at"]  # forwarded, but late: a breach
    assert forwarded["status"] == "registered"


def test_cmp_6_acknowledgement_gives_number_steps_expected_time_and_link(client, session):
    with time_machine.travel(local(7, 10), tick=True):
        world = governed_world(client)
        high = file_complaint(client, world, priority="high")
        low = file_complaint(client, world, priority="low")
    bodies = list(session.scalars(select(SmsMessage.body).order_by(SmsMessage.id)))[-2:]
    assert high["number"] in bodies[0] and "Steps: registration, case opening" in bodies[0]
    assert "Expected by 2026-12-08 10:00" in bodies[0]  # high: 24 h
    assert "Expected by 2026-12-14 10:00" in bodies[1]  # low: 5 working days, over a weekend
    assert low["number"] in bodies[1] and "/c/" in bodies[1]


def test_cmp_8_resolution_target_per_priority_and_overdue_covers_resolution(
    client, session, config
):
    with time_machine.travel(local(7, 10), tick=True) as clock:
        world = governed_world(client)
        high = file_complaint(client, world, priority="high")
        medium = file_complaint(client, world)
        assert clocks_of(high)["resolution"]["due_at"].startswith("2026-12-08T02:00")
        assert clocks_of(medium)["resolution"]["due_at"].startswith("2026-12-10T02:00")  # 72 h
        for complaint in (high, medium):
            for kind in ("first", "verification"):
                ok(act(client, world, complaint, "responses", {"kind": kind, "message": "On it"}))
            open_case(client, world, complaint)
        clock.move_to(local(8, 10, 1))
        relogin(client, world, "manager")
        assert sweep(config)["complaint_breaches"] == 1  # only the high one's resolution
        overdue = client.get("/api/v1/complaints?overdue=true", headers=world.auth("manager"))
        on_time = client.get("/api/v1/complaints?overdue=false", headers=world.auth("manager"))
        detail = read(client, world, high)
    assert [c["id"] for c in overdue.get_json()["items"]] == [high["id"]]
    assert [c["id"] for c in on_time.get_json()["items"]] == [medium["id"]]
    assert overdue.get_json()["items"][0]["overdue"] is True
    assert clocks_of(detail)["resolution"]["breached_at"]


def test_cmp_10_repeat_repairs_of_one_serial_count_across_customers_and_sites(client, gworld):
    customer, site, asset = add_customer_with_asset(client, gworld, "SN-42", "139 0013 9001")
    for _ in range(2):  # the unit was repaired twice while at another customer's site
        repair_request(client, gworld, customer_id=customer, site_id=site, asset_id=asset)
    own_asset = ok(
        client.post(
            f"/api/v1/customers/{gworld.customer_id}/assets",
            headers=gworld.auth("dispatcher"),
            json={"model": "KX-2200", "serial": " sn-42 ", "site_id": gworld.site_id},
        )
    )["id"]
    other_asset = ok(
        client.post(
            f"/api/v1/customers/{gworld.customer_id}/assets",
            headers=gworld.auth("dispatcher"),
            json={"model": "KX-2200", "serial": "SN-77", "site_id": gworld.site_id},
        )
    )["id"]
    third = repair_request(client, gworld, asset_id=own_asset)
    unrelated = repair_request(client, gworld, asset_id=other_asset)
    flagged = file_complaint(client, gworld, request_id=third["id"])
    plain = file_complaint(client, gworld, request_id=unrelated["id"])
    assert flagged["repeat_repair_candidate"] is True
    assert plain["repeat_repair_candidate"] is False


def test_cmp_8_complaint_list_loads_in_a_fixed_number_of_queries(client, app, gworld):
    def count_list() -> int:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reply = client.get("/api/v1/complaints", headers=gworld.auth("manager"))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert reply.status_code == 200
        return len(statements)

    hard = file_complaint(client, gworld, nature="hard", category="product_quality")
    open_case(client, gworld, hard)
    job = {"kind": "inspection", "site_id": gworld.site_id, "fault_description": "Leaks"}
    ok(act(client, gworld, hard, "jobs", job))
    few = count_list()
    for _ in range(4):
        more = file_complaint(client, gworld, nature="hard", category="product_quality")
        open_case(client, gworld, more)
        ok(act(client, gworld, more, "jobs", job))
    assert count_list() == few


def test_cmp_8_prv_4_complaints_of_another_region_stay_hidden_and_the_list_is_keyset_paginated(
    client, session, gworld
):
    visit = book_visit(client, gworld)
    on_job = file_complaint(client, gworld, visit_id=visit["id"])
    no_job = [file_complaint(client, gworld) for _ in range(3)]
    with session_scope() as scope:
        north = Region(code="BJ", name="Beijing", timezone="Asia/Shanghai", polygon=None)
        scope.add(north)
        scope.flush()
        users.create_user(
            session=scope,
            actor=SYSTEM,
            username="north_head",
            password=PASSWORD,
            full_name="North head",
            role="department_head",
            region_ids=[north.id],
        )
    outsider = {"Authorization": f"Bearer {login(client, 'north_head')}"}
    seen = client.get("/api/v1/complaints", headers=outsider).get_json()["items"]
    assert on_job["id"] not in [c["id"] for c in seen]  # its job lies in another region
    assert {c["id"] for c in no_job} <= {c["id"] for c in seen}  # on no job: every region
    hidden = client.get(f"/api/v1/complaints/{on_job['id']}", headers=outsider)
    notes = client.get(
        f"/api/v1/complaints/requests/{visit['request_id']}/special-notes", headers=outsider
    )
    assert hidden.status_code == 404 and notes.status_code == 404  # CMP-20 notes too
    refused = client.post(
        f"/api/v1/complaints/{on_job['id']}/case-decision",
        headers=outsider,
        json={"opened": True, "note": "Not my region"},
    )
    assert refused.status_code == 404
    first = ok(client.get("/api/v1/complaints?limit=2", headers=gworld.auth("manager")))
    rest = ok(
        client.get(
            f"/api/v1/complaints?limit=2&after={first['page']['next_cursor']}",
            headers=gworld.auth("manager"),
        )
    )
    ids = [c["id"] for c in first["items"] + rest["items"]]
    assert ids == sorted((c["id"] for c in [on_job, *no_job]), reverse=True)
