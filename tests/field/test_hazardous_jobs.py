"""VCH-18: hazardous jobs need a pre-work checklist; a second person is recorded, lone working
is flagged."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import accept_estimate, act, new_key, walk_to_site


def _hazardous_on_site(client, world) -> int:
    visit = book_visit(client, world, tech="tech_a")["id"]
    flagged = client.post(
        f"/api/v1/visits/{visit}/hazard",
        headers=world.auth("dispatcher"),
        json={"hazard_kind": "electrical", "reason": "Work on the distribution board"},
    )
    assert flagged.status_code == 200, flagged.get_json()
    assert flagged.get_json()["hazard_kind"] == "electrical"
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    return visit


def test_vch_18_hazardous_job_cannot_start_before_its_checklist(client, world, session):
    visit = _hazardous_on_site(client, world)
    tech = world.auth("tech_a")
    refused = act(client, tech, visit, "start", key=new_key())
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "safety_check_missing"
    half = act(client, tech, visit, "safety-check", key=new_key(), work_permit=True)
    assert half.status_code == 422
    assert half.get_json()["error_code"] == "safety_check_incomplete"
    checked = act(
        client,
        tech,
        visit,
        "safety-check",
        key=new_key(),
        hazard_analysis="Live busbar behind the panel",
        controls="Isolate and lock out, test dead before touching",
        guardian_name="Li Wei",
    )
    assert checked.status_code == 200, checked.get_json()
    assert checked.get_json()["safety_checked_at"]
    started = act(client, tech, visit, "start", key=new_key())
    assert started.status_code == 200, started.get_json()
    session.expire_all()
    record = session.get(Visit, visit).field_record
    assert record.guardian_name == "Li Wei" and record.lone_working is False
    assert not session.scalars(select(StaffAlert).where(StaffAlert.kind == "lone_working")).all()


def test_vch_18_hazardous_work_without_a_second_person_is_flagged_lone_working(
    client, world, session
):
    visit = _hazardous_on_site(client, world)
    tech = world.auth("tech_a")
    checked = act(
        client, tech, visit, "safety-check", key=new_key(), work_permit=True, safety_briefing=True
    )
    assert checked.status_code == 200, checked.get_json()
    assert act(client, tech, visit, "start", key=new_key()).status_code == 200
    session.expire_all()
    assert session.get(Visit, visit).field_record.lone_working is True
    alerts = client.get("/api/v1/alerts", headers=world.auth("dispatcher")).get_json()
    assert [a["kind"] for a in alerts if a["kind"] == "lone_working"] == ["lone_working"]
    shown = client.get(f"/api/v1/visits/{visit}", headers=world.auth("dispatcher")).get_json()
    assert shown["lone_working"] is True


def test_vch_18_an_ordinary_job_starts_without_a_checklist(client, world):
    visit = book_visit(client, world, tech="tech_a")["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    assert act(client, tech, visit, "start", key=new_key()).status_code == 200
