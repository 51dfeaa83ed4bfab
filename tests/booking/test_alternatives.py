"""A refused booking offers the first free windows in time order (APT-2, issue 16): the search
stops once it has them, and they are the ones the slot list starts with."""

from __future__ import annotations

from datetime import datetime

from tests.booking.test_technician_day import listed_slots
from tests.builders import repair_request
from tests.routing.day import local


def _windows(items) -> list[tuple[datetime, datetime]]:
    return [
        (datetime.fromisoformat(i["window_start"]), datetime.fromisoformat(i["window_end"]))
        for i in items
    ]


def test_apt_2_a_refused_booking_offers_the_first_six_windows_of_the_slot_list(client, morning):
    request = repair_request(client, morning)
    listed = _windows(listed_slots(client, morning, request["id"], days=5))

    refused = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=morning.auth("dispatcher"),
        json={"window_start": local(19).isoformat(), "window_end": local(21).isoformat()},
    )

    assert refused.status_code == 409, refused.get_json()
    offered = _windows(refused.get_json()["details"]["alternatives"])
    assert len(listed) > 7  # more free windows than are shown, so where it stops matters
    assert offered == listed[:6]
