"""Kept region-days hang off the app, not the module (DESIGN §7: no module-level mutable state)."""

from __future__ import annotations

from flask import Flask

from dispatch.schedule import days
from tests.booking.test_technician_day import listed_slots
from tests.builders import repair_request


def test_apt_slot_search_keeps_its_days_on_the_app_that_served_it(app, client, morning):
    kept = days.kept_days(app)
    kept.clear()
    request = repair_request(client, morning)

    first = listed_slots(client, morning, request["id"], days=1)
    held = dict(kept._days)
    again = listed_slots(client, morning, request["id"], days=1)

    assert first and again == first
    assert held and all(kept._days[key][2] is held[key][2] for key in held)  # built once
    assert days.kept_days(Flask("another")) is not kept  # each app its own
    module_state = {
        name for name, v in vars(days).items() if not name.startswith("__") and isinstance(v, dict)
    }
    assert module_state == set()
