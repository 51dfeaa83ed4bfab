"""APT-13: non-urgent texts wait for the contact window of the customer's region, each region
its own; urgent same-day texts (en route, delay, cancellation) go at once. Reminders wait when
queued; the survey's follow-up row is due inside the region's window.

Region N keeps the configured window (08:30–17:30); region S is set to 10:00–21:00 by an admin.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from dispatch.db import session_scope
from dispatch.notifications.service import queue_sms
from tests.reports.facts import build_facts

SH = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SH)


def queue(config, facts, region: str, template: str, label: str) -> None:
    """Queue a text about a visit at a site of `region`; `label` stands in its number."""
    params = {
        "appointment_reminder": {"window": "10:00-12:00", "link": "l", "reschedule": "r"},
        "technician_en_route": {"technician": "Wang", "eta": "10:30"},
        "appointment_cancelled": {"window": "10:00-12:00"},
    }[template]
    with session_scope() as s:
        customer, site, _ = facts.customer(s, region)
        request = facts.request(s, site, registered=local(1, 9))
        visit = facts.visit(s, request, window_end=local(9, 12))
        queue_sms(
            s,
            customer=customer,
            template=template,
            visit_id=visit.id,
            config=config,
            number=label,
            **params,
        )


def sent(sms) -> set[str]:
    return {label for m in sms.sent for label in LABELS if label in m.body}


LABELS = ("N-EVE", "S-EVE", "N-ENROUTE", "S-CANCEL", "N-MORN", "S-MORN")


def test_apt_13_each_region_holds_non_urgent_texts_until_its_own_window(
    client, config, sms, run_worker
):
    with time_machine.travel(local(3, 7, 0), tick=True) as clock:
        facts = build_facts(client)
        setting = client.post(
            f"/api/v1/regions/{facts.regions['S']}/contact-window",
            headers=facts.auth("admin"),
            json={"start": "10:00", "end": "21:00"},
        )
        assert setting.status_code == 200, setting.get_json()
        assert setting.get_json()["contact_window_start"].startswith("10:00")
        clock.move_to(local(3, 19, 0))  # evening: N's window closed, S's open
        queue(config, facts, "N", "appointment_reminder", "N-EVE")
        queue(config, facts, "S", "appointment_reminder", "S-EVE")
        queue(config, facts, "N", "technician_en_route", "N-ENROUTE")  # urgent: at once
        run_worker()
        assert sent(sms) == {"S-EVE", "N-ENROUTE"}
        clock.move_to(local(4, 8, 0))  # morning: both windows still closed
        queue(config, facts, "N", "appointment_reminder", "N-MORN")
        queue(config, facts, "S", "appointment_reminder", "S-MORN")
        queue(config, facts, "S", "appointment_cancelled", "S-CANCEL")  # urgent: at once
        run_worker()
        assert sent(sms) == {"S-EVE", "N-ENROUTE", "S-CANCEL"}
        clock.move_to(local(4, 8, 30) + timedelta(seconds=20))  # N opens
        run_worker()
        assert sent(sms) == {"S-EVE", "N-ENROUTE", "S-CANCEL", "N-EVE", "N-MORN"}
        clock.move_to(local(4, 10, 0) + timedelta(seconds=20))  # S opens
        run_worker()
    assert sent(sms) == set(LABELS)


def test_apt_13_region_window_needs_both_ends_in_order_and_admin_only(client):
    facts = build_facts(client)
    url = f"/api/v1/regions/{facts.regions['N']}/contact-window"
    admin = facts.auth("admin")
    for body in ({"start": "10:00", "end": None}, {"start": "20:00", "end": "09:00"}):
        refused = client.post(url, headers=admin, json=body)
        assert refused.status_code == 422, refused.get_json()
    assert (
        client.post(
            url, headers=facts.auth("manager"), json={"start": "09:00", "end": "18:00"}
        ).status_code
        == 403
    )
    back = client.post(url, headers=admin, json={"start": None, "end": None})
    assert back.status_code == 200 and back.get_json()["contact_window_start"] is None


def test_apt_13_followup_survey_is_due_inside_the_regions_own_window(client, session):
    from datetime import time

    from sqlalchemy import select

    from dispatch.followups.models import FollowUp
    from dispatch.regions.models import Region
    from tests.aftercare.helpers import complete_visit
    from tests.builders import build_world

    with time_machine.travel(local(1, 15), tick=True) as clock:
        world = build_world(client)
        session.get(Region, world.region_id).set_contact_window(time(7, 0), time(22, 0))
        session.commit()
        complete_visit(client, world, clock, local(1, 19), start=local(1, 15, 30))
    # 19:00 + 2 h falls inside 07:00–22:00; the configured 17:30 close would wait until 08:30
    assert session.scalars(select(FollowUp)).one().due_at == local(1, 21)
