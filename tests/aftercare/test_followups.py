"""24-hour follow-ups, exactly once, against PostgreSQL with a real RQ worker (FUP-1..5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from dispatch import jobs
from dispatch.alerts.models import StaffAlert
from dispatch.complaints.models import Complaint
from dispatch.followups import service as followups
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.outbox import OutboxMessage
from tests.aftercare.helpers import complete_visit, local, relogin, survey_links, sweep
from tests.builders import build_world, login


def test_fup_1_sent_once_at_due_time_even_when_the_job_runs_twice(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        run_worker()
        assert survey_links(sms) == []
        clock.move_to(local(1, 14, 59))
        run_worker()
        assert survey_links(sms) == []  # not before completion + 2 h
        clock.move_to(local(1, 15, 0) + timedelta(seconds=20))
        run_worker()
        assert len(survey_links(sms)) == 1
        message = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "followup.send")
        ).one()
        assert jobs.run_outbox_message(message.id) == "already-processed"
        assert followups.send(session, config=config, followup_id=1) == "skipped:sent"
        session.commit()
        run_worker()
    assert len(survey_links(sms)) == 1
    stored = session.scalars(select(FollowUp)).one()
    assert timedelta(0) <= stored.sent_at - stored.due_at < timedelta(seconds=60)


def test_fup_1_sweeper_sends_a_followup_whose_job_was_lost(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        run_worker()  # the timed job is now in Redis
        jobs.redis_connection(config).flushdb()  # ... and lost, as after a Redis failure
        clock.move_to(local(1, 15, 0) + timedelta(seconds=5))
        run_worker()
        assert survey_links(sms) == []
        assert sweep(config)["followups_sent"] == 1
        run_worker()
        assert len(survey_links(sms)) == 1
        assert sweep(config)["followups_sent"] == 0  # nothing left to find
        run_worker()
    assert len(survey_links(sms)) == 1
    assert not session.scalars(select(FollowUp)).one().overdue


def test_fup_1_followup_not_sent_by_the_deadline_is_flagged_overdue(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        run_worker()
        jobs.redis_connection(config).flushdb()  # worker down for a day, queue lost
        clock.move_to(local(2, 13, 5))
        sweep(config)
        run_worker()
        relogin(client, world, "quality")
        overdue = client.get("/api/v1/followups?overdue=true", headers=world.auth("quality"))
        on_time = client.get("/api/v1/followups?overdue=false", headers=world.auth("quality"))
    assert [f["overdue"] for f in overdue.get_json()["items"]] == [True]
    assert on_time.get_json()["items"] == []
    stored = session.scalars(select(FollowUp)).one()
    assert stored.overdue_at == stored.deadline_at == local(2, 13)
    assert len(survey_links(sms)) == 1  # still asked, late


def test_fup_1_deadline_flag_without_a_send(client, session, config):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(2, 13, 1))
        # The send was postponed past the deadline (a wrong window setting, say).
        session.scalars(select(FollowUp)).one().due_at = local(2, 14)
        session.commit()
        assert sweep(config)["followups_overdue"] == 1
        assert sweep(config)["followups_overdue"] == 0
    stored = session.scalars(select(FollowUp)).one()
    assert stored.status == "scheduled" and stored.overdue


def test_fup_1_evening_completion_waits_for_the_contact_window(client, sms, run_worker):
    with time_machine.travel(local(1, 15), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 19), start=local(1, 15, 30))
        clock.move_to(local(1, 21, 30))
        run_worker()
        clock.move_to(local(2, 8, 29))
        run_worker()
        assert survey_links(sms) == []
        clock.move_to(local(2, 8, 30) + timedelta(seconds=20))
        run_worker()
    assert len(survey_links(sms)) == 1


def test_fup_2_one_followup_per_visit_is_a_database_rule(client, session):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
    existing = session.scalars(select(FollowUp)).one()
    session.add(FollowUp(visit_id=existing.visit_id, due_at=local(1, 15), deadline_at=local(2, 9)))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_fup_3_fup_5_unhappy_answer_opens_one_complaint_and_reopens_the_job(
    client, session, sms, run_worker
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        token = survey_links(sms)[0]
        page = client.get(f"/l/{token}?lang=zh_CN").get_data(as_text=True)
        assert "维修质量" in page and "问题是否已解决" in page and "上门迟到" in page
        form = {
            "rating": "2",
            "quality": "1",
            "timeliness": "4",
            "attitude": "5",
            "problem_solved": "no",
            "reasons": ["problem_not_fixed", "took_too_long"],
            "comment": "Still leaking",
        }
        for _ in range(2):  # a double tap stores one answer and one complaint
            assert client.post(f"/l/{token}/rate", data=form).status_code == 303
        assert client.post(f"/l/{token}/rate", data={"rating": "9"}).status_code == 422
        backlog = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
        alerts = client.get("/api/v1/alerts", headers=world.auth("manager")).get_json()
    stored = session.scalars(select(FollowUp)).one()
    assert (stored.status, stored.rating, stored.quality, stored.problem_solved) == (
        "answered",
        2,
        1,
        False,
    )
    assert stored.reasons == ["problem_not_fixed", "took_too_long"]
    complaint = session.scalars(select(Complaint)).one()
    assert (complaint.visit_id, complaint.followup_id) == (stored.visit_id, stored.id)
    assert (complaint.nature, complaint.category) == ("hard", "after_sales")
    assert session.scalars(select(ServiceRequest)).one().status == "reopened"
    assert [item["number"] for item in backlog] == [stored.visit.request.number]
    assert [a["kind"] for a in alerts] == ["complaint.opened"]


def test_fup_5_good_rating_opens_nothing(client, session, sms, run_worker):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        token = survey_links(sms)[0]
        form = {"rating": "3", "problem_solved": "yes"}
        assert client.post(f"/l/{token}/rate", data=form).status_code == 303
    assert session.scalars(select(Complaint)).all() == []
    assert session.scalars(select(ServiceRequest)).one().status == "completed"


def test_fup_4_unanswered_link_becomes_a_phone_task_for_the_handler(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        clock.move_to(local(2, 14, 59))
        assert sweep(config)["phone_tasks"] == 0
        clock.move_to(local(2, 15, 2))
        assert sweep(config)["phone_tasks"] == 1
        relogin(client, world, "manager", "dispatcher")
        world.tokens["tech_a"] = login(
            client, "tech_a", "/mobile/v1/auth/login", device_id="dev-tech_a"
        )
        task = client.get("/api/v1/followups?status=phone_task", headers=world.auth("manager"))
        followup_id = task.get_json()["items"][0]["id"]
        alerts = client.get("/api/v1/alerts", headers=world.auth("dispatcher")).get_json()
        answer = {"rating": 5, "quality": 5, "problem_solved": True, "comment": "All good"}
        technician = client.post(
            f"/api/v1/followups/{followup_id}/phone-outcome",
            headers=world.auth("tech_a"),
            json=answer,
        )
        done = client.post(
            f"/api/v1/followups/{followup_id}/phone-outcome",
            headers=world.auth("dispatcher"),
            json=answer,
        )
        again = client.post(
            f"/api/v1/followups/{followup_id}/phone-outcome",
            headers=world.auth("dispatcher"),
            json=answer,
        )
        bad = client.post(
            f"/api/v1/followups/{followup_id}/phone-outcome",
            headers=world.auth("dispatcher"),
            json={"rating": 0, "unknown": 1},
        )
    assert [a["kind"] for a in alerts] == ["followup.phone_task"]
    assert technician.status_code == 403
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["answered_via"]) == ("done", "phone")
    assert again.status_code == 409 and again.get_json()["error_code"] == "followup_completed"
    assert bad.status_code == 422
    assert session.get(StaffAlert, 1).followup_id == followup_id
