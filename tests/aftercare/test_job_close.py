"""VCH-11: a job closes only with its voucher archived and the customer's "solved"."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.audit import AuditEntry
from tests.aftercare.helpers import complete_visit, local, survey_links
from tests.builders import build_world
from tests.vouchers.helpers import countersign


def test_vch_11_close_needs_the_archived_voucher_then_the_customers_solved(
    client, session, sms, run_worker
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        visit = complete_visit(client, world, clock, local(1, 13))
        staff = world.auth("dispatcher")
        url = f"/api/v1/requests/{visit['request_id']}/close"
        request = client.get(f"/api/v1/requests/{visit['request_id']}", headers=staff).get_json()
        assert request["status"] == "completed"

        unarchived = client.post(url, headers=staff)
        assert unarchived.status_code == 422
        assert unarchived.get_json()["error_code"] == "voucher_not_archived"

        detail = client.get(f"/api/v1/visits/{visit['id']}", headers=world.auth("manager"))
        assert countersign(client, world, detail.get_json()["voucher"]["id"]).status_code == 200
        unconfirmed = client.post(url, headers=staff)
        assert unconfirmed.status_code == 422
        assert unconfirmed.get_json()["error_code"] == "fix_not_confirmed"

        clock.move_to(local(1, 15, 1))
        run_worker()
        token = survey_links(sms)[0]
        form = {"rating": "5", "problem_solved": "yes"}
        assert client.post(f"/l/{token}/rate", data=form).status_code == 303
        assert client.post(url, headers=world.auth("tech_a")).status_code == 403
        closed = client.post(url, headers=staff)
        again = client.post(url, headers=staff)
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["status"] == "closed" and closed.get_json()["closed_at"]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "request.closed")).one()
    assert (entry.before["status"], entry.after["status"]) == ("completed", "closed")
    assert again.status_code == 409


def test_vch_11_a_not_solved_answer_reopens_instead_of_closing(client, sms, run_worker):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        visit = complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        form = {"rating": "2", "problem_solved": "no"}
        assert client.post(f"/l/{survey_links(sms)[0]}/rate", data=form).status_code == 303
        staff = world.auth("dispatcher")
        refused = client.post(f"/api/v1/requests/{visit['request_id']}/close", headers=staff)
        request = client.get(f"/api/v1/requests/{visit['request_id']}", headers=staff)
    assert refused.status_code == 409  # reopened: not completed any more
    assert request.get_json()["status"] == "reopened"
