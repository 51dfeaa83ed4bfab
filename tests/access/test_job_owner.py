"""ROL-4: every open job has a named current owner; the API changes it with a reason, audited,
and refuses to leave the job without one."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.intake.models import ServiceRequest
from tests.access.world import build

ROLES = ("dispatcher", "manager", "cs_agent", "quality")
REASON = "Dispatcher on leave this week"


def test_rol_4_owner_of_a_job_changes_with_a_reason_and_is_audited(client, session):
    world = build(client, roles=ROLES)
    own = world.records[1]
    url = f"/api/v1/requests/{own.request_id}/owner"
    before = session.get(ServiceRequest, own.request_id).owner_id
    new_owner = own.user_id  # leaver1: a dispatcher serving region 1
    reply = client.post(
        url, headers=world.auth("manager"), json={"owner_id": new_owner, "reason": REASON}
    )
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["owner_id"] == new_owner
    session.expire_all()
    assert session.get(ServiceRequest, own.request_id).owner_id == new_owner
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "request.owner_changed", AuditEntry.entity_id == own.request_id
        )
    ).one()
    assert entry.before["owner_id"] == before and entry.after["owner_id"] == new_owner
    assert entry.after["reason"] == REASON


def test_rol_4_a_job_is_never_left_without_an_owner(client, session):
    world = build(client, roles=ROLES)
    own = world.records[1]
    url = f"/api/v1/requests/{own.request_id}/owner"
    before = session.get(ServiceRequest, own.request_id).owner_id
    nobody = client.post(
        url, headers=world.auth("dispatcher"), json={"owner_id": None, "reason": REASON}
    )
    assert nobody.status_code == 422 and nobody.get_json()["error_code"] == "owner_required"
    missing = client.post(url, headers=world.auth("dispatcher"), json={"reason": REASON})
    assert missing.status_code == 422
    unknown = client.post(
        url,
        headers=world.auth("dispatcher"),
        json={"owner_id": 10**6, "reason": REASON},
    )
    assert unknown.status_code == 422 and unknown.get_json()["error_code"] == "owner_invalid"
    outside = client.post(  # leaver2 serves region 2 only
        url,
        headers=world.auth("dispatcher"),
        json={"owner_id": world.records[2].user_id, "reason": REASON},
    )
    assert outside.status_code == 422 and outside.get_json()["error_code"] == "owner_invalid"
    session.expire_all()
    assert session.get(ServiceRequest, own.request_id).owner_id == before


def test_rol_4_only_assigners_of_the_jobs_region_change_its_owner(client):
    world = build(client, roles=ROLES)
    body = {"owner_id": world.records[1].user_id, "reason": REASON}
    own = f"/api/v1/requests/{world.records[1].request_id}/owner"
    other = f"/api/v1/requests/{world.records[2].request_id}/owner"
    assert client.post(own, headers=world.auth("cs_agent"), json=body).status_code == 403
    assert client.post(own, headers=world.auth("quality"), json=body).status_code == 403
    assert client.post(other, headers=world.auth("dispatcher"), json=body).status_code == 404
