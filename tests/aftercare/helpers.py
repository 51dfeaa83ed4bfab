"""Arrange a completed visit under time travel, for the after-the-visit tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dispatch import sweeps
from tests.builders import login, release_visit, repair_request, signature_b64, sms_link_token
from tests.mobile_api.helpers import RECORD

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a Shanghai time in December 2026."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def complete_visit(client, world, clock, finished: datetime, start: datetime | None = None):
    """Book, travel, arrive and complete a visit ending at `finished`; return the visit."""
    request = repair_request(client, world)
    start = start or finished - timedelta(hours=1)
    booked = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_a"],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
        },
    )
    assert booked.status_code == 201, booked.get_json()
    visit = booked.get_json()
    release_visit(client, world, visit["id"])
    tech = world.auth("tech_a")
    steps = [("depart", -50, {}), ("arrive", -40, {"lat": 31.19, "lon": 121.44})]
    for step, minutes, extra in steps:
        clock.move_to(finished + timedelta(minutes=minutes))
        moment = {"device_time": (finished + timedelta(minutes=minutes)).isoformat()}
        path = f"/mobile/v1/visits/{visit['id']}/{step}"
        reply = client.post(path, headers=tech, json=moment | extra)
        assert reply.status_code == 200, reply.get_json()
    clock.move_to(finished + timedelta(seconds=30))
    done = client.post(
        f"/mobile/v1/visits/{visit['id']}/complete",
        headers=tech,
        json={
            "device_time": finished.isoformat(),
            "service_content": "Replaced the drive belt; tested a full wash cycle.",
            **RECORD,
            "signature": {"signer_name": "Wang", "image": signature_b64()},
        },
    )
    assert done.status_code == 200, done.get_json()
    return visit


def survey_links(sms) -> list[str]:
    """Return the tokens of every survey SMS sent so far."""
    return [sms_link_token(m.body) for m in sms.sent if "Rate us" in m.body]


def sweep(config) -> dict[str, int]:
    """Run the worker's backstop sweeps once."""
    return sweeps.run_all(config)


def relogin(client, world, *who: str) -> None:
    """Log staff in again after travelling past their token's lifetime."""
    for name in who:
        world.tokens[name] = login(client, name)
