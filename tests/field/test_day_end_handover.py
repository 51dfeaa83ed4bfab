"""DSP-9: at the day end, jobs dispatched that day and not finished are listed; each needs a
handover note naming its next owner before the shift can close."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from dispatch.users.models import User
from tests.builders import book_visit, next_workday_at

ZONE = ZoneInfo("Asia/Shanghai")


def test_dsp_9_unfinished_jobs_need_a_handover_naming_the_next_owner_before_shift_close(
    client, world, session
):
    first = book_visit(client, world, tech="tech_a")
    second = book_visit(client, world, tech="tech_b", start=next_workday_at(14))
    day = datetime.now(ZONE).date().isoformat()
    dispatcher = world.auth("dispatcher")
    region = world.region_id
    listed = client.get(f"/api/v1/regions/{region}/day-end?day={day}", headers=dispatcher)
    assert listed.status_code == 200
    assert {i["visit_number"] for i in listed.get_json()} == {first["number"], second["number"]}
    assert all(i["needs_handover"] for i in listed.get_json())
    refused = client.post(
        f"/api/v1/regions/{region}/shift-close", headers=dispatcher, json={"day": day}
    )
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "handover_missing"
    manager_id = session.scalars(select(User.id).where(User.username == "manager")).one()
    for visit in (first, second):
        handed = client.post(
            f"/api/v1/visits/{visit['id']}/handover",
            headers=dispatcher,
            json={"note": "Customer home after 18:00; call first", "next_owner_id": manager_id},
        )
        assert handed.status_code == 200, handed.get_json()
        assert handed.get_json()["handover_owner_id"] == manager_id
    missing_owner = client.post(
        f"/api/v1/visits/{first['id']}/handover",
        headers=dispatcher,
        json={"note": "Nobody named"},
    )
    assert missing_owner.status_code == 422
    after = client.get(f"/api/v1/regions/{region}/day-end?day={day}", headers=dispatcher)
    assert not any(i["needs_handover"] for i in after.get_json())
    closed = client.post(
        f"/api/v1/regions/{region}/shift-close", headers=dispatcher, json={"day": day}
    )
    assert closed.status_code == 201, closed.get_json()
    again = client.post(
        f"/api/v1/regions/{region}/shift-close", headers=dispatcher, json={"day": day}
    )
    assert again.status_code == 409
