"""FUP-5: a low rating opens a complaint and lets the dispatcher reopen the job."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.complaints.models import Complaint
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from tests.aftercare.helpers import complete_visit, local, relogin, survey_links
from tests.builders import build_world


def test_fup_5_dispatcher_reopens_the_job_after_a_low_rating(client, session, sms, run_worker):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        token = survey_links(sms)[0]
        form = {"rating": "2", "quality": "2", "problem_solved": "yes", "comment": "Rude"}
        assert client.post(f"/l/{token}/rate", data=form).status_code == 303
        relogin(client, world, "dispatcher")
        followup = session.scalars(select(FollowUp)).one()
        request = session.scalars(select(ServiceRequest)).one()
        assert request.status == "completed"  # solved but unhappy: not reopened by itself
        assert session.scalars(select(Complaint)).one().followup_id == followup.id
        url = f"/api/v1/followups/{followup.id}/reopen-job"
        reopened = client.post(
            url, headers=world.auth("dispatcher"), json={"reason": "Send a senior technician"}
        )
        assert reopened.status_code == 200, reopened.get_json()
        session.expire_all()
        assert session.get(ServiceRequest, request.id).status == "reopened"
        again = client.post(url, headers=world.auth("dispatcher"), json={"reason": "Twice"})
        assert again.status_code == 409
        backlog = client.get("/api/v1/backlog", headers=world.auth("dispatcher")).get_json()
        assert [item["number"] for item in backlog] == [request.number]


def test_fup_5_a_satisfied_follow_up_does_not_reopen_the_job(client, session, sms, run_worker):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        token = survey_links(sms)[0]
        form = {"rating": "5", "quality": "5", "problem_solved": "yes"}
        assert client.post(f"/l/{token}/rate", data=form).status_code == 303
        relogin(client, world, "dispatcher")
        followup = session.scalars(select(FollowUp)).one()
        refused = client.post(
            f"/api/v1/followups/{followup.id}/reopen-job",
            headers=world.auth("dispatcher"),
            json={"reason": "Just because"},
        )
        assert refused.status_code == 422
        assert refused.get_json()["error_code"] == "followup_satisfied"
