"""Complaints: 首问负责 ownership, SLA clocks, escalation and the close rules (CMP-2..19)."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.actors import SYSTEM
from dispatch.alerts.models import StaffAlert
from dispatch.complaints import service as complaints
from dispatch.db import session_scope
from dispatch.users.models import User
from tests.aftercare.helpers import local, relogin, sweep
from tests.builders import build_world
from tests.complaints.helpers import act, file_complaint, governed_world, open_case


def clocks(client, world, complaint: dict) -> dict:
    data = client.get(f"/api/v1/complaints/{complaint['id']}", headers=world.auth("manager"))
    return {c["name"]: c for c in data.get_json()["clocks"]} | {"_": data.get_json()}


def alert_kinds(session, username: str) -> list[str]:
    user = session.scalars(select(User).where(User.username == username)).one()
    return list(
        session.scalars(
            select(StaffAlert.kind).where(StaffAlert.user_id == user.id).order_by(StaffAlert.id)
        )
    )


def test_cmp_7_cmp_16_cmp_17_soft_complaint_clocks_breach_and_climb_the_real_ladder(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 10), tick=True) as clock:
        world = governed_world(client)
        complaint = file_complaint(client, world)
        run_worker()
        assert complaint["number"].startswith("CP-20261201-")
        assert "complaint" in sms.sent[-1].body  # CMP-6 acknowledgement with the number
        state = clocks(client, world, complaint)
        assert state["first_response"]["due_at"].startswith("2026-12-01T02:15")
        assert state["verification"]["due_at"].startswith("2026-12-01T02:30")
        clock.move_to(local(1, 10, 14))
        assert sweep(config)["complaint_breaches"] == 0
        clock.move_to(local(1, 10, 16))
        assert sweep(config)["complaint_breaches"] == 1
        assert clocks(client, world, complaint)["_"]["escalation_level"] == 1
        assert alert_kinds(session, "manager") == ["complaint.opened"]
        assert alert_kinds(session, "head") == [  # the case decider (CMP-11), the superior
            "complaint.opened",
            "complaint.sla_breached",
        ]
        assert alert_kinds(session, "handler") == ["complaint.sla_breached"]  # the handler
        clock.move_to(local(1, 10, 31))
        assert sweep(config)["complaint_breaches"] == 1
        assert sweep(config)["complaint_breaches"] == 0
        detail = clocks(client, world, complaint)["_"]
    assert detail["escalation_level"] == 2 and detail["overdue"] is True
    assert [(e["level"], e["target_role"]) for e in detail["escalations"]] == [
        (1, "department_head"),
        (2, "cs_manager"),
    ]
    assert alert_kinds(session, "cs") == ["complaint.opened", "complaint.sla_breached"]
    assert alert_kinds(session, "gm") == []  # one level per breach


def test_cmp_7_response_in_time_stops_the_clock(client, config):
    with time_machine.travel(local(1, 10), tick=True) as clock:
        world = build_world(client)
        complaint = file_complaint(client, world)
        clock.move_to(local(1, 10, 10))
        reply = act(client, world, complaint, "responses", {"kind": "first", "message": "Sorry"})
        assert reply.status_code == 200, reply.get_json()
        wrong = act(client, world, complaint, "responses", {"kind": "second", "message": "x1"})
        assert wrong.status_code == 422
        assert wrong.get_json()["error_code"] == "response_not_applicable"
        clock.move_to(local(1, 10, 20))
        assert sweep(config)["complaint_breaches"] == 0
        state = clocks(client, world, complaint)
    assert state["first_response"]["met_at"] and not state["first_response"]["breached_at"]


def test_cmp_7_hard_complaint_counts_service_hours_across_the_evening(client, config):
    with time_machine.travel(local(1, 16), tick=True) as clock:
        world = build_world(client)
        complaint = file_complaint(client, world, nature="hard", category="product_quality")
        state = clocks(client, world, complaint)
        assert state["first_response"]["due_at"].startswith("2026-12-01T09:00")  # 17:00 local
        # 3 h of service time: 90 min today until 17:30, 90 min from 08:30 tomorrow.
        assert state["second_response"]["due_at"].startswith("2026-12-02T02:00")  # 10:00 local
        clock.move_to(local(2, 9, 0))
        relogin(client, world, "dispatcher", "manager")
        missing = act(client, world, complaint, "responses", {"kind": "second", "message": "ok"})
        assert missing.get_json()["error_code"] == "estimate_required"
        second = {
            "kind": "second",
            "message": "Part ordered",
            "estimated_resolution_at": local(3, 12).isoformat(),
        }
        assert act(client, world, complaint, "responses", second).status_code == 200
        # The 1 h first response was missed, and so was the same-day case decision (CMP-11).
        assert sweep(config)["complaint_breaches"] == 2
        state = clocks(client, world, complaint)
    assert state["first_response"]["breached_at"] and not state["second_response"]["breached_at"]
    assert state["case_decision"]["due_at"].startswith("2026-12-01T09:30")  # 17:30 local


def test_cmp_5_complaint_taken_outside_customer_service_is_forwarded_within_30_min(
    client, session, config
):
    with time_machine.travel(local(1, 10), tick=True) as clock:
        world = build_world(client)
        late = file_complaint(client, world, received_outside_cs=True)
        on_time = file_complaint(client, world, received_outside_cs=True)
        manager_id = session.scalars(select(User.id).where(User.username == "manager")).one()
        clock.move_to(local(1, 10, 20))
        hand = {"to_user_id": manager_id, "reason": "Customer service takes it"}
        assert act(client, world, on_time, "forward", hand).status_code == 200
        assert act(client, world, on_time, "forward", hand).status_code == 409
        clock.move_to(local(1, 10, 31))
        sweep(config)
        forwarded, missed = clocks(client, world, on_time), clocks(client, world, late)
    assert forwarded["forwarding"]["met_at"] and not forwarded["forwarding"]["breached_at"]
    assert missed["forwarding"]["breached_at"]


def test_cmp_2_cmp_3_transfer_keeps_the_first_owner_and_needs_a_reason(client, session):
    with time_machine.travel(local(1, 10), tick=True):
        world = build_world(client)
        complaint = file_complaint(client, world)
        ids = dict(session.execute(select(User.username, User.id)).all())
        no_reason = act(client, world, complaint, "transfer", {"to_user_id": ids["manager"]})
        to_tech = act(
            client, world, complaint, "transfer", {"to_user_id": ids["tech_a"], "reason": "x y"}
        )
        moved = act(
            client,
            world,
            complaint,
            "transfer",
            {"to_user_id": ids["manager"], "reason": "Needs the department head"},
        )
        unknown = client.post(
            "/api/v1/complaints/999/transfer",
            headers=world.auth("dispatcher"),
            json={"to_user_id": ids["manager"], "reason": "because"},
        )
    assert no_reason.status_code == 422
    assert to_tech.status_code == 422 and to_tech.get_json()["error_code"] == "handler_invalid"
    assert unknown.status_code == 404
    body = moved.get_json()
    assert (body["first_owner_id"], body["owner_id"]) == (ids["dispatcher"], ids["manager"])
    assert body["transfers"][0]["reason"] == "Needs the department head"


def test_cmp_19_fup_7_closes_only_after_investigation_plan_resolution_and_follow_up(
    client, session, config
):
    with time_machine.travel(local(1, 10), tick=True) as clock:
        world = governed_world(client)
        complaint = file_complaint(client, world, nature="hard", category="product_quality")
        manager_id = session.scalars(select(User.id).where(User.username == "manager")).one()
        close = {"customer_feedback": "We replaced the pump"}
        assert act(client, world, complaint, "close", close).status_code == 409
        finding = {"authentic": True, "severity": "general", "cause": "Faulty pump batch"}
        assert act(client, world, complaint, "investigation", finding).status_code == 409
        open_case(client, world, complaint)
        assert act(client, world, complaint, "investigation", finding).status_code == 200
        bad_plan = {
            "steps": "Replace",
            "deadline": local(2, 10).isoformat(),
            "remedies": [],
            "responsible_user_id": manager_id,
        }
        assert act(client, world, complaint, "plan", bad_plan).status_code == 422  # CMP-13
        plan = bad_plan | {"remedies": ["replacement", "apology"]}
        assert act(client, world, complaint, "plan", plan).status_code == 200
        assert act(client, world, complaint, "decision", {"accepted": True}).status_code == 200
        clock.move_to(local(1, 15))
        resolved = act(client, world, complaint, "resolve", {"resolution": "Pump replaced"})
        assert resolved.status_code == 200
        assert act(client, world, complaint, "close", close).status_code == 409
        clock.move_to(local(2, 15, 1))  # no satisfaction follow-up within 24 h (FUP-7)
        relogin(client, world, "dispatcher", "manager", "handler")
        assert sweep(config)["complaint_breaches"] >= 1
        assert clocks(client, world, complaint)["followup"]["breached_at"]
        answer = {"satisfied": True, "recurred": False, "note": "Works again"}
        assert act(client, world, complaint, "follow-up", answer).status_code == 200
        closed = act(client, world, complaint, "close", close)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert closed.get_json()["followup_satisfied"] is True


def test_cmp_7_clocks_are_configurable_per_priority(client, session, config):
    tight = config.with_overrides(
        complaint_sla_minutes=config.complaint_sla_minutes + ",first_response.soft.high=5"
    )
    with time_machine.travel(local(1, 10), tick=True):
        world = build_world(client)
        dispatcher = session.scalars(select(User.id).where(User.username == "dispatcher")).one()
        with session_scope() as s:
            kwargs = dict(
                session=s,
                actor=SYSTEM,
                config=tight,
                customer_id=world.customer_id,
                owner_id=dispatcher,
                channel="phone",
                category="delay",
                nature="soft",
                description="Late again",
            )
            high = complaints.open_complaint(priority="high", **kwargs)
            medium = complaints.open_complaint(priority="medium", **kwargs)
            due = {
                c.priority: c.clock("first_response").due_at.replace(second=0, microsecond=0)
                for c in (high, medium)
            }
    assert due == {"high": local(1, 10, 5), "medium": local(1, 10, 15)}
