"""FUP-6: the handler owns a phone follow-up; going off shift, it is delegated to a named
colleague and the delegation is recorded."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.followups.models import FollowUp
from dispatch.users.models import User
from tests.aftercare.helpers import complete_visit, local, relogin, sweep
from tests.builders import build_world


def test_fup_6_handler_delegates_the_phone_follow_up_to_a_named_colleague(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        clock.move_to(local(2, 15, 2))
        assert sweep(config)["phone_tasks"] == 1
        relogin(client, world, "manager", "dispatcher")
        followup = session.scalars(select(FollowUp)).one()
        handler = followup.phone_task_owner_id
        colleague = session.scalars(select(User.id).where(User.username == "manager")).one()
        url = f"/api/v1/followups/{followup.id}/delegate"
        missing = client.post(url, headers=world.auth("dispatcher"), json={"to_user_id": colleague})
        assert missing.status_code == 422  # a delegation states why
        done = client.post(
            url,
            headers=world.auth("dispatcher"),
            json={"to_user_id": colleague, "reason": "Off shift at 17:30"},
        )
        assert done.status_code == 200, done.get_json()
        assert done.get_json()["phone_task_owner_id"] == colleague
        record = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "followup.delegated")
        ).one()
        assert record.after["from_user_id"] == handler
        assert record.after["to_user_id"] == colleague
        assert record.after["reason"] == "Off shift at 17:30"
        alerts = client.get("/api/v1/alerts", headers=world.auth("manager")).get_json()
        assert any(a["kind"] == "followup.delegated" for a in alerts)
        taken = client.post(
            url,
            headers=world.auth("dispatcher"),
            json={"to_user_id": handler, "reason": "Take it back"},
        )
        assert taken.status_code == 403  # no longer the handler's to hand on
