"""CMP-9/10: a major trigger makes the complaint major and supervised; repeat repairs flag it."""

from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.users.models import User
from tests.builders import book_visit, repair_request
from tests.complaints.helpers import file_complaint, governed_world


def alerted(session, kind: str) -> set[str]:
    """Return the roles of the users alerted with this kind of alert."""
    return set(
        session.scalars(
            select(User.role)
            .join(StaffAlert, StaffAlert.user_id == User.id)
            .where(StaffAlert.kind == kind)
        )
    )


def test_cmp_9_a_ticked_trigger_makes_the_complaint_major_and_alerts_three_levels(client, session):
    world = governed_world(client)
    complaint = file_complaint(client, world, major_triggers=["external_party"])
    assert complaint["severity"] == "major" and complaint["supervised_by_cs"] is True
    assert complaint["major_triggers"] == ["external_party"]
    assert alerted(session, "complaint.major") == {"cs_manager", "department_head", "vp_in_charge"}


def test_cmp_9_damage_at_the_threshold_is_a_trigger_below_it_is_not(client, world):
    small = file_complaint(client, world, damage_cents=499_999)
    assert small["severity"] == "general" and small["major_triggers"] == []
    large = file_complaint(client, world, damage_cents=500_000)
    assert large["severity"] == "major" and large["major_triggers"] == ["large_damage"]


def test_cmp_9_unknown_trigger_is_refused(client, world):
    reply = client.post(
        "/api/v1/complaints",
        headers=world.auth("dispatcher"),
        json={
            "customer_id": world.customer_id,
            "channel": "phone",
            "category": "service_attitude",
            "nature": "soft",
            "description": "rude",
            "major_triggers": ["aliens"],
        },
    )
    assert (
        reply.status_code == 422
        and "major_triggers" in reply.get_json()["details"]["fields"]["json"]
    )


def test_cmp_10_third_repair_of_one_unit_in_30_days_flags_a_candidate_major(client, session):
    world = governed_world(client)
    asset = client.post(
        f"/api/v1/customers/{world.customer_id}/assets",
        headers=world.auth("dispatcher"),
        json={"model": "KX-2200", "serial": "SN-REPEAT", "site_id": world.site_id},
    ).get_json()
    repair_request(client, world, asset_id=asset["id"])
    visit = book_visit(client, world)  # a request of its own, on another unit
    first = file_complaint(client, world, visit_id=visit["id"])
    assert first["repeat_repair_candidate"] is False
    repair_request(client, world, asset_id=asset["id"])
    request = repair_request(client, world, asset_id=asset["id"])  # the third repair
    booked = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "window_start": visit["window_start"],
            "window_end": visit["window_end"],
            "technician_id": world.technician_ids["tech_b"],
        },
    ).get_json()
    second = file_complaint(client, world, visit_id=booked["id"])
    assert second["repeat_repair_candidate"] is True
    assert alerted(session, "complaint.repeat_repair") == {"cs_manager"}  # customer service
