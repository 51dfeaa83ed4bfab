"""DSP-10: a job marked simple gets a check task 1 h after dispatch; DSP-11: the optional
emergency arrival SLA of a region (20 min from dispatch to check-in, off by default)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.assignments import sweeps
from dispatch.assignments.models import JobAssignment
from dispatch.clock import utcnow
from tests.builders import book_visit, next_workday_at
from tests.mobile_api.helpers import walk_to_site


def _run(session, config, find, act_on, now) -> list[int]:
    ids = find(session, config=config, now=now)
    for item_id in ids:
        act_on(session, config=config, item_id=item_id, now=now)
    session.commit()
    return ids


def _alerts(session, kind: str) -> list[StaffAlert]:
    session.expire_all()
    return list(session.scalars(select(StaffAlert).where(StaffAlert.kind == kind)))


def test_dsp_10_simple_job_not_completed_gives_the_dispatcher_a_check_task_after_1_h(
    client, world, session, config
):
    simple = book_visit(client, world, tech="tech_a")
    ordinary = book_visit(client, world, tech="tech_b", start=next_workday_at(14))
    marked = client.post(
        f"/api/v1/visits/{simple['id']}/simple",
        headers=world.auth("dispatcher"),
        json={"simple": True},
    )
    assert marked.status_code == 200 and marked.get_json()["simple"] is True
    now = utcnow()
    find, act_on = sweeps.simple_checks_due, sweeps.raise_simple_check
    assert _run(session, config, find, act_on, now + timedelta(minutes=59)) == []
    raised = _run(session, config, find, act_on, now + timedelta(minutes=61))
    assert len(raised) == 1
    assert session.get(JobAssignment, raised[0]).visit_id == simple["id"]
    tasks = _alerts(session, "simple_job_check")
    assert len(tasks) == 1 and simple["number"] in tasks[0].message
    assert ordinary["number"] not in tasks[0].message
    assert _run(session, config, find, act_on, now + timedelta(minutes=90)) == []  # once


def test_dsp_11_emergency_arrival_sla_is_off_by_default_and_flags_a_late_check_in(
    client, world, session, config
):
    regions = client.get("/api/v1/regions", headers=world.auth("dispatcher")).get_json()
    assert [r["emergency_arrival_minutes"] for r in regions] == [None]  # off by default
    before = book_visit(client, world, tech="tech_a")
    find, act_on = sweeps.emergency_arrivals_late, sweeps.breach_emergency_arrival
    assert _run(session, config, find, act_on, utcnow() + timedelta(hours=3)) == []
    switched = client.post(
        f"/api/v1/regions/{world.region_id}/emergency-sla",
        headers=world.auth("manager"),
        json={"enabled": True},
    )
    assert switched.status_code == 200 and switched.get_json()["emergency_arrival_minutes"] == 20
    late = book_visit(client, world, tech="tech_a", start=next_workday_at(14))
    on_time = book_visit(client, world, tech="tech_b", start=next_workday_at(14))
    walk_to_site(client, world.auth("tech_b"), on_time["id"])
    now = utcnow()
    assert _run(session, config, find, act_on, now + timedelta(minutes=19)) == []
    breached = _run(session, config, find, act_on, now + timedelta(minutes=21))
    assert [session.get(JobAssignment, i).visit_id for i in breached] == [late["id"]]
    alerts = _alerts(session, "emergency_arrival_late")
    assert alerts and all(late["number"] in a.message for a in alerts)
    assert not any(before["number"] in a.message for a in alerts)
