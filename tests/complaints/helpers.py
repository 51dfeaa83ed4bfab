"""A world with seed 002's complaint governance roles, and short-hands for complaint steps."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from dispatch.actors import SYSTEM
from dispatch.alerts.models import StaffAlert
from dispatch.complaints.rules import Role
from dispatch.db import session_scope
from dispatch.users import service as users
from dispatch.users.models import User
from tests.builders import PASSWORD, World, build_world, login

GOVERNANCE = {
    "handler": Role.HANDLER,
    "head": Role.DEPARTMENT_HEAD,
    "cs": Role.CS_MANAGER,
    "vp": Role.VP_IN_CHARGE,
    "gm": Role.GENERAL_MANAGER,
}


def governed_world(client) -> World:
    """Return the usual world plus one logged-in user per governance role."""
    world = build_world(client)
    with session_scope() as session:
        for username, role in GOVERNANCE.items():
            users.create_user(
                session=session,
                actor=SYSTEM,
                username=username,
                password=PASSWORD,
                full_name=username.title(),
                role=role,
                region_ids=[world.region_id],
            )
    for username in GOVERNANCE:
        world.tokens[username] = login(client, username)
    return world


def user_id(session, username: str) -> int:
    return session.scalars(select(User.id).where(User.username == username)).one()


def file_complaint(client, world, who: str = "dispatcher", **overrides) -> dict:
    body = {
        "customer_id": world.customer_id,
        "channel": "phone",
        "category": "service_attitude",
        "nature": "soft",
        "description": "The technician was rude on the phone",
    } | overrides
    reply = client.post("/api/v1/complaints", headers=world.auth(who), json=body)
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


def act(client, world, complaint: dict, step: str, body: dict, who: str = "dispatcher"):
    return client.post(
        f"/api/v1/complaints/{complaint['id']}/{step}", headers=world.auth(who), json=body
    )


def ok(reply) -> dict:
    assert reply.status_code in (200, 201), reply.get_json()
    return reply.get_json()


def read(client, world, complaint: dict, who: str = "manager") -> dict:
    return ok(client.get(f"/api/v1/complaints/{complaint['id']}", headers=world.auth(who)))


def open_case(client, world, complaint: dict, who: str = "head") -> dict:
    body = {"opened": True, "note": "We take your complaint up today"}
    return ok(act(client, world, complaint, "case-decision", body, who=who))


def plan(session, deadline: datetime | None, remedies=("repair",), who: str = "handler") -> dict:
    return {
        "steps": "Send a senior technician and redo the repair",
        "deadline": deadline.isoformat() if deadline else "2030-01-01T00:00:00Z",
        "remedies": list(remedies),
        "responsible_user_id": user_id(session, who),
    }


def alert_kinds(session, username: str) -> list[str]:
    uid = user_id(session, username)
    return list(
        session.scalars(
            select(StaffAlert.kind).where(StaffAlert.user_id == uid).order_by(StaffAlert.id)
        )
    )


def mobile(client, world, path: str, body: dict, who: str = "tech_a"):
    """POST to the technician app with a fresh Idempotency-Key."""
    headers = world.auth(who) | {"Idempotency-Key": uuid.uuid4().hex}
    return client.post(f"/mobile/v1{path}", headers=headers, json=body)


def clocks_of(detail: dict) -> dict:
    return {c["name"]: c for c in detail["clocks"]}


def add_customer_with_asset(client, world, serial: str, phone: str) -> tuple[int, int, int]:
    """Create another customer with a site and a unit; return (customer, site, asset) ids."""
    auth = world.auth("dispatcher")
    customer = ok(
        client.post(
            "/api/v1/customers",
            headers=auth,
            json={
                "name": "Second customer",
                "phone": phone,
                "language": "en",
                "consent": {"channel": "phone", "notice_version": "2026-01"},
            },
        )
    )["id"]
    site = ok(
        client.post(
            f"/api/v1/customers/{customer}/sites",
            headers=auth,
            json={"address": "上海市静安区测试路8号", "lat": 31.23, "lon": 121.45},
        )
    )["id"]
    asset = ok(
        client.post(
            f"/api/v1/customers/{customer}/assets",
            headers=auth,
            json={"model": "KX-2200", "serial": serial, "site_id": site},
        )
    )["id"]
    return customer, site, asset
