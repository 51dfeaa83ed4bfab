"""Assignments: certification, reasons, history, push and acceptance (DSP-2/3/4/5)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.assignments import sweeps
from dispatch.assignments.models import JobAssignment
from dispatch.assignments.push import RecordingPushGateway, push_record_file
from dispatch.audit import AuditEntry
from dispatch.clock import utcnow
from dispatch.technicians.models import Technician
from dispatch.users.models import User
from tests.builders import book_visit, next_workday_at, repair_request
from tests.mobile_api.helpers import act, new_key, now_iso

REASON = "Customer asked for the technician who fixed it last time"


def _sweep(session_factory_session, config, find, act_on, now):
    """Run one sweep at `now` the way the worker does (find due ids, act on each)."""
    ids = find(session_factory_session, config=config, now=now)
    for item_id in ids:
        act_on(session_factory_session, config=config, item_id=item_id, now=now)
    session_factory_session.commit()
    return ids


def _rows(session, visit_id: int) -> list[JobAssignment]:
    session.expire_all()
    return list(
        session.scalars(
            select(JobAssignment)
            .where(JobAssignment.visit_id == visit_id)
            .order_by(JobAssignment.id)
        )
    )


def test_dsp_2_uncertified_technician_cannot_be_booked_or_pinned(client, world, session):
    """DSP-2: a technician who has not passed training (培训考核合格) cannot be assigned."""
    visit = book_visit(client, world, tech="tech_a")
    untrained = session.get(Technician, world.technician_ids["tech_b"])
    untrained.certified = False
    session.commit()
    request = repair_request(client, world)
    start = next_workday_at(13)
    booked = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": untrained.id,
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "duration_minutes": 60,
        },
    )
    assert booked.status_code == 422
    assert booked.get_json()["error_code"] == "technician_not_certified"
    pinned = client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=world.auth("dispatcher"),
        json={"technician_id": untrained.id, "pin_technician": True, "reason": REASON},
    )
    assert pinned.status_code == 422
    assert pinned.get_json()["error_code"] == "technician_not_certified"
    assert [r.technician_id for r in _rows(session, visit["id"])] == [
        world.technician_ids["tech_a"]
    ]


def test_dsp_3_override_without_reason_is_refused_and_its_reason_is_stored(client, world, session):
    """DSP-3: a dispatcher overrides or pins an assignment only with a reason, which is kept."""
    visit = book_visit(client, world, tech="tech_a")
    url = f"/api/v1/visits/{visit['id']}/pin"
    tech_b = world.technician_ids["tech_b"]
    missing = client.post(
        url,
        headers=world.auth("dispatcher"),
        json={"technician_id": tech_b, "pin_technician": True},
    )
    assert missing.status_code == 422
    assert "reason" in missing.get_json()["details"]["fields"]["json"]
    ok = client.post(
        url,
        headers=world.auth("dispatcher"),
        json={"technician_id": tech_b, "pin_technician": True, "reason": REASON},
    )
    assert ok.status_code == 200, ok.get_json()
    override = _rows(session, visit["id"])[-1]
    assert (override.technician_id, override.source, override.reason) == (
        tech_b,
        "override",
        REASON,
    )
    pin_audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "visit.pinned", AuditEntry.entity_id == visit["id"]
        )
    ).one()
    assert pin_audit.after["reason"] == REASON and pin_audit.after["pinned_technician"] is True


def test_dsp_4_each_assignment_keeps_who_whom_when_why_and_reassignment_history(
    client, world, session
):
    """DSP-4: one responsible technician at a time; reassignments keep the earlier rows."""
    visit = book_visit(client, world, tech="tech_a")
    tech_a, tech_b = world.technician_ids["tech_a"], world.technician_ids["tech_b"]
    client.post(
        f"/api/v1/visits/{visit['id']}/pin",
        headers=world.auth("dispatcher"),
        json={"technician_id": tech_b, "pin_technician": True, "reason": REASON},
    )
    listed = client.get(
        f"/api/v1/visits/{visit['id']}/assignments", headers=world.auth("dispatcher")
    )
    assert listed.status_code == 200
    rows = listed.get_json()
    assert [(r["technician_id"], r["source"], r["status"]) for r in rows] == [
        (tech_a, "booking", "superseded"),
        (tech_b, "override", "awaiting_acceptance"),
    ]
    dispatcher_id = session.scalars(select(User.id).where(User.username == "dispatcher")).one()
    assert {r["assigned_by_id"] for r in rows} == {dispatcher_id}
    assert all(r["assigned_at"] and r["reason"] for r in rows)
    assert rows[0]["ended_at"] is not None and rows[1]["ended_at"] is None
    open_rows = [r for r in _rows(session, visit["id"]) if r.status != "superseded"]
    assert len(open_rows) == 1  # exactly one responsible technician
    forbidden = client.get(
        f"/api/v1/visits/{visit['id']}/assignments", headers=world.auth("tech_a")
    )
    assert forbidden.status_code == 403


def test_dsp_5_technician_is_pushed_at_assignment_and_accepts_the_job(
    client, world, session, config
):
    """DSP-5: a push through the push gateway at assignment; the technician accepts (接单)."""
    gateway = RecordingPushGateway(push_record_file(config))
    gateway.path.unlink(missing_ok=True)
    visit = book_visit(client, world, tech="tech_a")
    tech_a = world.technician_ids["tech_a"]
    assert _sweep(session, config, sweeps.unpushed, sweeps.push, utcnow())
    assert _sweep(session, config, sweeps.unpushed, sweeps.push, utcnow()) == []  # once
    pushes = [p for p in gateway.sent if p["technician_id"] == tech_a]
    assert len(pushes) == 1 and visit["number"] in pushes[0]["body"]
    assert _rows(session, visit["id"])[0].pushed_at is not None
    other = act(client, world.auth("tech_b"), visit["id"], "accept", key=new_key())
    assert other.status_code == 404  # never revealing another technician's visit (PRV-4)
    key, body = new_key(), {"device_time": now_iso()}
    accepted = act(client, world.auth("tech_a"), visit["id"], "accept", key=key, **body)
    assert accepted.status_code == 200, accepted.get_json()
    replay = act(client, world.auth("tech_a"), visit["id"], "accept", key=key, **body)
    assert replay.status_code == 200 and replay.get_json() == accepted.get_json()
    row = _rows(session, visit["id"])[0]
    assert row.status == "accepted" and row.accepted_at and row.accepted_device_at
    assert session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "assignment.accepted", AuditEntry.entity_id == row.id
        )
    ).one()


def test_dsp_5_dispatcher_is_alerted_15_minutes_after_an_unaccepted_assignment(
    client, world, session, config
):
    """DSP-5: no acceptance 15 min after assignment → the dispatcher is alerted, once."""
    silent = book_visit(client, world, tech="tech_a")
    answered = book_visit(client, world, tech="tech_b", start=next_workday_at(14))
    act(client, world.auth("tech_b"), answered["id"], "accept", key=new_key())
    now = utcnow()
    assert _sweep(session, config, sweeps.unaccepted, sweeps.alert_unaccepted, now) == []
    later = now + timedelta(minutes=config.acceptance_minutes, seconds=5)
    alerted = _sweep(session, config, sweeps.unaccepted, sweeps.alert_unaccepted, later)
    assert alerted == [_rows(session, silent["id"])[0].id]
    assert _sweep(session, config, sweeps.unaccepted, sweeps.alert_unaccepted, later) == []
    alerts = client.get("/api/v1/alerts", headers=world.auth("dispatcher")).get_json()
    mine = [a for a in alerts if a["kind"] == "assignment_not_accepted"]
    assert len(mine) == 1 and silent["number"] in mine[0]["message"]
    assert not session.scalars(
        select(StaffAlert).where(StaffAlert.message.contains(answered["number"]))
    ).all()
