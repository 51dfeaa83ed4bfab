"""FUP-10: an optional second touch 7 days after the first follow-up (off by default)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import time_machine
from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.followups import sweeps as followup_sweeps
from dispatch.followups.models import FollowUp
from tests.aftercare.helpers import complete_visit, local, sweep
from tests.builders import build_world


def test_fup_10_second_touch_is_off_by_default_and_once_7_days_after_when_on(
    client, session, sms, run_worker, config
):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
        clock.move_to(local(1, 15, 1))
        run_worker()
        followup = session.scalars(select(FollowUp)).one()
        assert followup.sent_at is not None
        clock.move_to(local(8, 15, 5))
        assert sweep(config)["second_touches"] == 0  # off by default
        on = dataclasses.replace(config, followup_second_touch_days=7)
        now = followup.sent_at + timedelta(days=7)
        early = followup_sweeps.second_touch_due(session, config=on, now=now - timedelta(hours=1))
        assert early == []
        due = followup_sweeps.second_touch_due(session, config=on, now=now)
        assert due == [followup.id]
        assert followup_sweeps.second_touch(session, config=on, item_id=due[0], now=now) == (
            "second_touch"
        )
        session.commit()
        assert followup_sweeps.second_touch_due(session, config=on, now=now) == []
        session.expire_all()
        assert session.get(FollowUp, followup.id).second_touch_at is not None
        touches = session.scalars(
            select(StaffAlert).where(StaffAlert.kind == "followup.second_touch")
        ).all()
        assert len(touches) == 1 and touches[0].followup_id == followup.id
