"""Job parts, assessments and day-end handovers load their request or visit through the shared
loaders (`intake.service.get_request`, `visits.service.get_visit`, i.e. `access.ensure_request`
and `access.ensure_visit`): another region's record is 404 and nothing changes; a request
without a site lies with its customer, as everywhere else (ROL-2, PRV-4)."""

from __future__ import annotations

from sqlalchemy import func, select

from dispatch.assessments.models import Assessment
from dispatch.assignments.models import JobAssignment
from dispatch.jobparts.models import JobPart
from dispatch.users.models import User
from tests.access.world import PLACES, build
from tests.mobile_api.helpers import act, new_key, walk_to_site

ROLES = ("dispatcher", "manager", "quality")
PART = {"part_code": "BELT-9", "quantity": 1}


def _siteless_request(client, world, customer_id: int) -> int:
    """Register a consultation (no site) for the customer, as head office."""
    reply = client.post(
        "/api/v1/requests",
        headers=world.auth("admin_all"),
        json={
            "customer_id": customer_id,
            "request_type": "consultation",
            "channel": "phone",
            "category": "appliance",
            "service_class": "C",
            "fault_description": "How do I clean the filter?",
        },
    )
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["site_id"] is None
    return reply.get_json()["id"]


def test_vch_16_job_parts_of_another_region_are_404_and_change_nothing_ROL_2(client, session):
    world = build(client, roles=ROLES)
    me, own, other = world.auth("dispatcher"), world.records[1], world.records[2]
    theirs = client.post(
        f"/api/v1/requests/{other.request_id}/parts", headers=world.auth("admin_all"), json=PART
    )
    assert theirs.status_code == 201
    before = session.scalar(select(func.count(JobPart.id)))

    assert client.get(f"/api/v1/requests/{other.request_id}/parts", headers=me).status_code == 404
    added = client.post(f"/api/v1/requests/{other.request_id}/parts", headers=me, json=PART)
    assert added.status_code == 404
    moved = client.post(
        f"/api/v1/job-parts/{theirs.get_json()['id']}/status",
        headers=me,
        json={"status": "ordered"},
    )
    assert moved.status_code == 404
    assert session.scalar(select(func.count(JobPart.id))) == before
    assert session.get(JobPart, theirs.get_json()["id"]).status == "needed"

    mine = client.post(f"/api/v1/requests/{own.request_id}/parts", headers=me, json=PART)
    assert mine.status_code == 201
    listed = client.get(f"/api/v1/requests/{own.request_id}/parts", headers=me)
    assert [p["id"] for p in listed.get_json()] == [mine.get_json()["id"]]
    head_office = client.get(
        f"/api/v1/requests/{other.request_id}/parts", headers=world.auth("quality")
    )
    assert [p["id"] for p in head_office.get_json()] == [theirs.get_json()["id"]]


def test_vch_16_job_parts_of_a_siteless_request_follow_its_customers_region_ROL_2(client):
    """A consultation has no site: like GET /requests/<id>, its parts are seen by the staff of
    its customer's regions (and by everyone while the customer has no placed site)."""
    world = build(client, roles=ROLES)
    me = world.auth("dispatcher")
    own = _siteless_request(client, world, world.records[1].customer_id)
    other = _siteless_request(client, world, world.records[2].customer_id)
    for request_id, expected in ((own, 200), (other, 404)):
        assert client.get(f"/api/v1/requests/{request_id}", headers=me).status_code == expected
        parts = client.get(f"/api/v1/requests/{request_id}/parts", headers=me)
        assert parts.status_code == expected, request_id
    assert client.post(f"/api/v1/requests/{own}/parts", headers=me, json=PART).status_code == 201
    refused = client.post(f"/api/v1/requests/{other}/parts", headers=me, json=PART)
    assert refused.status_code == 404

    walk_in = client.post(
        "/api/v1/customers",
        headers=world.auth("admin_all"),
        json={
            "name": "散客",
            "phone": "+8613800138099",
            "language": "en",
            "consent": {"channel": "phone", "notice_version": "2026-01"},
        },
    )
    assert walk_in.status_code == 201, walk_in.get_json()
    unplaced = _siteless_request(client, world, walk_in.get_json()["id"])
    assert client.get(f"/api/v1/requests/{unplaced}/parts", headers=me).status_code == 200


def _assessment(client, world, number: int, tech: str) -> None:
    """The region's technician submits an assessment on the booked visit of region `number`."""
    visit_id = world.records[number].visit_id
    released = client.post(
        f"/api/v1/visits/{visit_id}/release",
        headers=world.auth("admin_all"),
        json={"reason": "Customer asked for an early visit by phone"},
    )
    assert released.status_code == 200, released.get_json()
    lat, lon, _ = PLACES[number]
    walk_to_site(client, world.auth(tech), visit_id, lat=lat, lon=lon)
    sent = act(
        client,
        world.auth(tech),
        visit_id,
        "assessment",
        key=new_key(),
        diagnosis="Drive belt worn through",
        proposed_solution="Replace the belt",
    )
    assert sent.status_code == 200, sent.get_json()


def test_vch_5_an_assessment_of_another_region_is_404_to_a_supervisor_ROL_2(client, session):
    world = build(client, roles=ROLES)
    _assessment(client, world, 1, "tech_a")
    _assessment(client, world, 2, "tech_c")
    by_visit = {row.visit_id: row.id for row in session.scalars(select(Assessment))}
    own = by_visit[world.records[1].visit_id]
    other = by_visit[world.records[2].visit_id]
    manager = world.auth("manager")
    refused = client.post(
        f"/api/v1/assessments/{other}/decision", headers=manager, json={"approve": True}
    )
    assert refused.status_code == 404
    assert session.get(Assessment, other).status == "submitted"
    approved = client.post(
        f"/api/v1/assessments/{own}/decision", headers=manager, json={"approve": True}
    )
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"


def test_dsp_9_a_handover_on_another_regions_visit_is_404_and_writes_nothing_ROL_2(client, session):
    world = build(client, roles=ROLES)
    me, own, other = world.auth("dispatcher"), world.records[1], world.records[2]
    manager_id = session.scalars(select(User.id).where(User.username == "manager")).one()
    body = {"note": "Customer home after 18:00; call first", "next_owner_id": manager_id}
    refused = client.post(f"/api/v1/visits/{other.visit_id}/handover", headers=me, json=body)
    assert refused.status_code == 404
    noted = select(func.count(JobAssignment.id)).where(JobAssignment.handover_at.is_not(None))
    assert session.scalar(noted) == 0
    handed = client.post(f"/api/v1/visits/{own.visit_id}/handover", headers=me, json=body)
    assert handed.status_code == 200, handed.get_json()
    assert handed.get_json()["handover_owner_id"] == manager_id
