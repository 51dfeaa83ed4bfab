"""The service plan proposed at intake and agreed by the customer before dispatch (INT-12)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.notifications.models import SmsMessage
from tests.builders import next_workday_at, repair_request, sms_link_token

PLAN = {"remedy": "Replace the drive belt", "estimate_cents": 18000, "estimate_minutes": 45}


def ok(reply, status: int = 200) -> dict:
    assert reply.status_code == status, reply.get_json()
    return reply.get_json()


def plan_call(client, world, request_id: int, step: str = "", body: dict | None = None):
    path = f"/api/v1/requests/{request_id}/plan" + (f"/{step}" if step else "")
    return client.post(path, headers=world.auth("dispatcher"), json=body)


def proposed_plan(client, world, **overrides) -> dict:
    request = repair_request(client, world, service_class="A")
    ok(plan_call(client, world, request["id"], body=PLAN | overrides))
    ok(plan_call(client, world, request["id"], "propose"))
    return request


def plan_link(session) -> str:
    body = session.scalars(
        select(SmsMessage.body)
        .where(SmsMessage.template == "service_plan_proposed")
        .order_by(SmsMessage.id.desc())
    ).first()
    return re.search(r"/p/(\S+)", body).group(1)


def book(client, world, request_id: int, technician: str | None = "tech_a"):
    start = next_workday_at(10)
    body = {
        "window_start": start.isoformat(),
        "window_end": (start + timedelta(hours=2)).isoformat(),
        "duration_minutes": 60,
    }
    if technician:
        body["technician_id"] = world.technician_ids[technician]
    else:
        body["auto_assign"] = False
    return client.post(
        f"/api/v1/requests/{request_id}/visits", headers=world.auth("dispatcher"), json=body
    )


def test_int_12_dispatch_is_refused_until_the_customer_agrees_to_the_plan(client, world, session):
    request = proposed_plan(client, world)
    refused = book(client, world, request["id"])
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["error_code"] == "service_plan_not_agreed"
    assert refused.get_json()["details"]["plan_status"] == "proposed"
    waiting = ok(book(client, world, request["id"], technician=None), 201)  # booked, unassigned
    pinned = client.post(
        f"/api/v1/visits/{waiting['id']}/pin",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_a"],
            "pin_technician": True,
            "reason": "Only tech A knows this model",
        },
    )
    assert pinned.status_code == 409 and pinned.get_json()["error_code"] == (
        "service_plan_not_agreed"
    )
    ok(plan_call(client, world, request["id"], "agree"))
    assigned = ok(
        client.post(
            f"/api/v1/visits/{waiting['id']}/pin",
            headers=world.auth("dispatcher"),
            json={
                "technician_id": world.technician_ids["tech_a"],
                "pin_technician": True,
                "reason": "Only tech A knows this model",
            },
        )
    )
    assert assigned["technician_id"] == world.technician_ids["tech_a"]


def test_int_12_a_request_without_a_plan_is_dispatched_as_before(client, world):
    request = repair_request(client, world)
    assert book(client, world, request["id"]).status_code == 201


def test_int_12_an_agent_records_the_customers_agreement_on_their_behalf(client, world, session):
    request = proposed_plan(client, world)
    plan = ok(plan_call(client, world, request["id"], "agree"))
    assert (plan["status"], plan["agreed_via"]) == ("agreed", "agent")
    assert plan["agreed_by_id"] is not None and plan["agreed_at"]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "service_plan.agreed")
    ).one()
    assert (entry.actor_kind, entry.before["status"], entry.after["status"]) == (
        "user",
        "proposed",
        "agreed",
    )
    again = plan_call(client, world, request["id"], "agree")
    assert again.status_code == 409 and again.get_json()["error_code"] == "invalid_transition"
    assert book(client, world, request["id"]).status_code == 201


def test_int_12_the_customer_agrees_on_the_link_page_in_their_language(client, world, session):
    request = proposed_plan(client, world)
    token = plan_link(session)
    page = client.get(f"/p/{token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Replace the drive belt" in text and "¥180.00" in text and "45 minutes" in text
    assert "Agree to the plan" in text
    chinese = client.get(f"/p/{token}?lang=zh_CN").get_data(as_text=True)
    assert "服务方案" in chinese and "同意方案" in chinese
    assert client.post(f"/p/{token}/agree").status_code == 303
    assert client.post(f"/p/{token}/agree").status_code == 303  # a double tap changes nothing
    plan = ok(client.get(f"/api/v1/requests/{request['id']}/plan", headers=world.auth("admin")))
    assert (plan["status"], plan["agreed_via"], plan["agreed_by_id"]) == ("agreed", "link", None)
    shown = client.get(f"/p/{token}").get_data(as_text=True)
    assert "You agreed to this plan" in shown and "Agree to the plan" not in shown
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "service_plan.agreed")
    ).all()
    assert [e.actor_kind for e in entries] == ["customer"]
    assert book(client, world, request["id"]).status_code == 201
    ask = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).one()
    appointment_page = client.get(f"/l/{sms_link_token(ask)}?lang=en").get_data(as_text=True)
    assert 'id="service-plan"' in appointment_page and "Replace the drive belt" in appointment_page


def test_int_12_rejected_goes_back_to_drafting_then_a_new_proposal_is_agreed(
    client, world, session
):
    request = proposed_plan(client, world)
    first = plan_link(session)
    assert client.post(f"/p/{first}/reject", data={"reason": "Too expensive"}).status_code == 303
    plan = ok(client.get(f"/api/v1/requests/{request['id']}/plan", headers=world.auth("admin")))
    assert (plan["status"], plan["reject_reason"], plan["rejections"]) == (
        "drafting",
        "Too expensive",
        1,
    )
    assert "You rejected this plan" in client.get(f"/p/{first}").get_data(as_text=True)
    assert book(client, world, request["id"]).status_code == 409  # drafting is not agreed
    revised = PLAN | {"remedy": "Refit the old belt", "estimate_cents": 9000}
    ok(plan_call(client, world, request["id"], body=revised))
    proposed = ok(plan_call(client, world, request["id"], "propose"))
    assert (proposed["status"], proposed["version"]) == ("proposed", 2)
    second = plan_link(session)
    assert second != first
    assert client.get(f"/p/{first}").status_code == 403  # the old proposal's link is gone
    assert client.post(f"/p/{second}/agree").status_code == 303
    plan = ok(client.get(f"/api/v1/requests/{request['id']}/plan", headers=world.auth("admin")))
    assert (plan["status"], plan["remedy"], plan["estimate_cents"]) == (
        "agreed",
        "Refit the old belt",
        9000,
    )
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "service_plan").order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "service_plan.drafted",
        "service_plan.proposed",
        "service_plan.rejected",
        "service_plan.redrafted",
        "service_plan.proposed",
        "service_plan.agreed",
    ]


def test_int_12_an_agent_records_a_rejection_and_a_proposed_plan_is_not_edited(client, world):
    request = proposed_plan(client, world)
    edit = plan_call(client, world, request["id"], body=PLAN)
    assert edit.status_code == 409 and edit.get_json()["error_code"] == "invalid_transition"
    no_reason = plan_call(client, world, request["id"], "reject", {})
    assert no_reason.status_code == 422
    plan = ok(plan_call(client, world, request["id"], "reject", {"reason": "Wants a new one"}))
    assert plan["status"] == "drafting"


def test_int_12_a_class_a_plan_needs_estimated_cost_and_time_to_be_proposed(client, world):
    request = repair_request(client, world, service_class="A")
    ok(plan_call(client, world, request["id"], body={"remedy": "Replace the drive belt"}))
    refused = plan_call(client, world, request["id"], "propose")
    assert refused.status_code == 422 and refused.get_json()["error_code"] == "estimate_required"
    free = repair_request(client, world, service_class="C")
    ok(plan_call(client, world, free["id"], body={"remedy": "Warranty swap", "estimate_cents": 5}))
    charged = plan_call(client, world, free["id"], "propose")
    assert charged.get_json()["error_code"] == "estimate_not_chargeable"
    ok(plan_call(client, world, free["id"], body={"remedy": "Warranty swap"}))
    assert ok(plan_call(client, world, free["id"], "propose"))["status"] == "proposed"


def test_int_12_a_tampered_plan_link_is_refused(client, world, session):
    proposed_plan(client, world)
    token = plan_link(session)
    assert client.get(f"/p/{token[:-2]}xx").status_code in (403, 404)
    assert client.post(f"/p/{token[:-2]}xx/agree").status_code in (403, 404)
