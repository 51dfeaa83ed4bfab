"""Roles (ROL-1), who may do what (ROL-3), owners (ROL-4), nobody approves their own work
(ROL-5) and leaving staff (ROL-6), over HTTP on the two-region world of issue 11."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch import demo
from dispatch.complaints.models import Complaint
from dispatch.intake.models import ServiceRequest
from dispatch.technicians.models import Technician
from dispatch.users.models import User
from dispatch.users.rules import ALL_REGION_ROLES, ROLES, Role
from tests.access.world import build
from tests.builders import PASSWORD, login, next_workday_at, signature_b64

CATALOGUE = {
    "cs_agent",  # customer-service agent
    "dispatcher",
    "department_head",
    "complaint_handler",
    "followup_agent",
    "cs_manager",
    "vp_in_charge",
    "general_manager",
    "finance",
    "kb_author",
    "kb_reviewer",
    "kb_admin",
    "quality",  # quality monitor, read-only
    "privacy_officer",
    "admin",  # system administrator
    "technician",
    "dealer",
    "manager",
}


def test_catalogue_names_every_role_and_demo_has_a_login_for_each_ROL_1():
    """ROL-1: every role of the catalogue is a Role, one place; the demo data logs each in."""
    assert set(ROLES) == CATALOGUE
    demo_logins = {str(role) for role in demo.ROLE_NAMES} | {
        "admin",
        "manager",
        "dispatcher",
        "technician",
    }
    assert demo_logins == CATALOGUE
    assert Role.QUALITY in ALL_REGION_ROLES and Role.DISPATCHER not in ALL_REGION_ROLES


def test_every_role_logs_in_and_carries_its_regions_ROL_1_ROL_2(client):
    """Users of every role are created with the regions they serve and can log in."""
    world = build(client)
    for role in ROLES:
        if role == "technician":
            continue
        me = client.get("/api/v1/regions", headers=world.auth(role))
        assert me.status_code in (200, 403), (role, me.status_code)  # a valid token either way


def _book(client, world, who: str):
    own = world.records[1]
    start = next_workday_at(14, 3)
    return client.post(
        f"/api/v1/requests/{own.request_id}/visits",
        headers=world.auth(who),
        json={
            "technician_id": world.technician_ids["tech_b"],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
        },
    )


def test_who_may_assign_countersign_open_cases_and_decide_ROL_3(client):
    """ROL-3: only dispatchers and managers assign; only managers countersign; the department
    head opens a general case; only the general manager takes the final decision."""
    world = build(client)
    for who in ("cs_agent", "quality", "finance", "followup_agent", "complaint_handler"):
        assert _book(client, world, who).status_code == 403, who
    own = world.records[1]
    signature = {"signer_name": "Manager", "image": signature_b64()}
    path = f"/api/v1/vouchers/{own.voucher_id}/countersign"
    for who in ("dispatcher", "cs_manager", "finance"):
        assert client.post(path, headers=world.auth(who), json=signature).status_code == 403, who
    countersigned = client.post(path, headers=world.auth("manager"), json=signature)
    assert countersigned.status_code == 200, countersigned.get_json()

    complaint = f"/api/v1/complaints/{own.complaint_id}"
    decision = {"opened": True, "note": "We take your complaint up today"}
    refused = client.post(
        f"{complaint}/case-decision", headers=world.auth("complaint_handler"), json=decision
    )
    assert refused.status_code == 403
    opened = client.post(
        f"{complaint}/case-decision", headers=world.auth("department_head"), json=decision
    )
    assert opened.status_code == 200, opened.get_json()
    final = {
        "steps": "Replace the unit",
        "deadline": next_workday_at(12, 5).isoformat(),
        "remedies": ["repair"],
        "responsible_user_id": 1,
        "note": "Decided",
    }
    refused = client.post(
        f"{complaint}/gm-decision", headers=world.auth("vp_in_charge"), json=final
    )
    assert refused.status_code == 403
    reconciliation = client.get(
        f"/api/v1/vouchers/reconciliation?day={next_workday_at(9, 1).date()}",
        headers=world.auth("finance"),
    )
    assert reconciliation.status_code == 200  # payments and vouchers: finance reads them


def test_nobody_countersigns_the_voucher_of_their_own_visit_ROL_5(client, session):
    """ROL-5: tech_a, promoted to manager, keeps their technician profile; countersigning the
    voucher of a visit they did is refused (own_work), another manager may."""
    world = build(client, roles=("admin", "manager"))
    tech_user = session.scalars(
        select(Technician.user_id).where(Technician.id == world.technician_ids["tech_a"])
    ).one()
    promoted = client.patch(
        f"/api/v1/users/{tech_user}", headers=world.auth("admin"), json={"role": "manager"}
    )
    assert promoted.status_code == 200 and promoted.get_json()["role"] == "manager"
    path = f"/api/v1/vouchers/{world.records[1].voucher_id}/countersign"
    signature = {"signer_name": "Lead", "image": signature_b64()}
    own_work = client.post(
        path, headers={"Authorization": f"Bearer {login(client, 'tech_a')}"}, json=signature
    )
    assert own_work.status_code == 403
    assert own_work.get_json()["error_code"] == "own_work"
    assert client.post(path, headers=world.auth("manager"), json=signature).status_code == 200


def test_leaving_user_keeps_owners_named_and_history_intact_ROL_4_ROL_6(client, session):
    """ROL-6: a user owning open work cannot be deactivated (409 open_items naming it);
    ROL-4: hand-over to nobody, to an inactive user or to a technician is refused; after the
    hand-over the user is deactivated, their sessions end, and history still names them."""
    world = build(client, roles=("admin", "dispatcher"))
    leaver = session.scalars(select(User).where(User.username == "leaver1")).one()
    token = login(client, "leaver1")
    customer = world.records[1].customer_id
    registered = client.post(
        "/api/v1/requests",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "customer_id": customer,
            "site_id": world.records[1].site_id,
            "request_type": "repair",
            "channel": "phone",
            "category": "appliance",
            "service_class": "C",
            "product_model": "KX-2200",
            "fault_description": "Noisy",
        },
    )
    assert registered.status_code == 201, registered.get_json()
    request_id = registered.get_json()["id"]
    admin = world.auth("admin")
    refused = client.post(f"/api/v1/users/{leaver.id}/deactivate", headers=admin)
    assert refused.status_code == 409
    assert refused.get_json()["details"]["open_items"] == {"requests": [request_id]}

    tech_user = session.scalars(select(User.id).where(User.username == "tech_a")).one()
    for successor in (None, 999999, tech_user, leaver.id):
        body = {"to_user_id": successor, "reason": "Leaves the company"}
        reply = client.post(f"/api/v1/users/{leaver.id}/hand-over", headers=admin, json=body)
        assert reply.status_code == 422, (successor, reply.get_json())
    dispatcher = session.scalars(select(User.id).where(User.username == "dispatcher")).one()
    handed = client.post(
        f"/api/v1/users/{leaver.id}/hand-over",
        headers=admin,
        json={"to_user_id": dispatcher, "reason": "Leaves the company"},
    )
    assert handed.status_code == 200
    assert handed.get_json() == {"requests": [], "complaints": [], "phone_tasks": [], "visits": []}
    done = client.post(f"/api/v1/users/{leaver.id}/deactivate", headers=admin)
    assert done.status_code == 200 and done.get_json()["active"] is False

    session.expire_all()
    request = session.get(ServiceRequest, request_id)
    assert request.owner_id == dispatcher
    assert (request.registrar_id, request.first_owner_id) == (leaver.id, leaver.id)
    assert (
        client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    relogin = client.post("/api/v1/auth/login", json={"username": "leaver1", "password": PASSWORD})
    assert relogin.status_code == 401


def test_open_items_have_an_owner_column_that_cannot_be_empty_ROL_4():
    """ROL-4: requests and complaints name a current owner; the database refuses none."""
    assert not ServiceRequest.__table__.c.owner_id.nullable
    assert not Complaint.__table__.c.owner_id.nullable


def test_technician_with_open_visits_cannot_be_deactivated_ROL_6(client, session):
    """A technician's visits are the dispatcher's to rebook: until then, 409 naming them."""
    world = build(client, roles=("admin",))
    own = world.records[1]
    user_id = session.scalars(
        select(Technician.user_id).where(Technician.id == world.technician_ids["tech_a"])
    ).one()
    refused = client.post(f"/api/v1/users/{user_id}/deactivate", headers=world.auth("admin"))
    assert refused.status_code == 409
    assert own.visit_id in refused.get_json()["details"]["open_items"]["visits"]
