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


def _meaning(region_day: days.RegionDay) -> dict:
    """What a region-day says, free of the numbering of its places and skills."""
    built = region_day.built
    problem = built.problem
    skill_of = {number: name for name, number in built.skill_ids.items()}

    def place(index):
        return None if index is None else built.points[index]

    def skills(owned):
        return frozenset((skill_of[number], level) for number, level in owned)

    tasks = {
        t.id: (place(t.location_index), t.service, skills(t.skills), t.windows, t.priority)
        + (t.pinned_vehicle_id, t.pinned_time)
        for t in problem.tasks
    }
    vehicles = {
        v.id: (v.shift, place(v.start_index), place(v.end_index), skills(v.skills), v.breaks)
        for v in problem.vehicles
    }
    places = [t.location_index for t in problem.tasks]
    places += [v.start_index for v in problem.vehicles]
    travel = {(place(a), place(b)): problem.travel(a, b) for a in places for b in places}
    routes, broken = days.current_routes(region_day)
    timed = {r.vehicle_id: [(s.kind, s.id, s.arrival, s.start) for s in r.steps] for r in routes}
    return {
        "tasks": tasks,
        "vehicles": vehicles,
        "travel": travel,
        "held": region_day.held,
        "visits": built.visits,
        "routes": timed,
        "broken": broken,
    }


def test_apt_16_a_kept_day_is_refreshed_after_bookings_and_a_cancel_to_the_day_built_afresh(
    app, client, morning, session, config, monkeypatch
):
    """Issue 16 §3: a booking re-reads only the visits that changed, and the refreshed day is
    the day a fresh build gives: same tasks, holds, travel and routes."""
    from datetime import date

    from dispatch.actors import SYSTEM
    from dispatch.booking import service as booking
    from dispatch.models import Visit
    from dispatch.regions.models import Region
    from tests.booking.morning import book
    from tests.routing.day import local

    kept = days.kept_days(app)
    kept.clear()
    request = repair_request(client, morning)
    assert listed_slots(client, morning, request["id"], days=1)  # today is built and kept
    refreshed, built = [], []
    real_refresh, real_build = days.refresh, days.build

    def spy_refresh(*args, **kwargs):
        found = real_refresh(*args, **kwargs)
        refreshed.append(found is not None)
        return found

    def spy_build(*args, **kwargs):
        built.append(args[-1] if len(args) > 4 else None)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(days, "refresh", spy_refresh)
    monkeypatch.setattr(days, "build", spy_build)
    made = [book(client, morning, local(h), local(h + 2)).get_json() for h in (9, 11, 13)]
    assert all(m.get("id") for m in made), made
    cancelled = session.get(Visit, made[1]["id"])
    booking.cancel(session=session, actor=SYSTEM, config=config, visit=cancelled, reason="x")
    session.commit()
    region = session.get(Region, morning.region_id)
    with app.app_context():
        kept_now = days.get(session, config, region, date(2026, 12, 1))
    monkeypatch.setattr(days, "build", real_build)
    fresh = days.build(session, config, region, date(2026, 12, 1))

    assert refreshed and all(refreshed) and built == []  # refreshed every time, never rebuilt
    assert len(kept_now.built.visits) == 2
    assert _meaning(kept_now) == _meaning(fresh)


def test_apt_16_concurrent_readers_of_a_changed_day_refresh_it_once(
    app, client, morning, config, monkeypatch
):
    """Issue 16: bookings of one day arriving together do not each re-read the same change;
    one brings the kept day up to date and the others take what it kept."""
    import threading
    from datetime import date

    from sqlalchemy.orm import Session

    from dispatch.db import db
    from dispatch.regions.models import Region
    from tests.booking.morning import book
    from tests.routing.day import local

    day = date(2026, 12, 1)
    kept = days.kept_days(app)
    kept.clear()
    request = repair_request(client, morning)
    assert listed_slots(client, morning, request["id"], days=1)  # today is built and kept
    assert book(client, morning, local(9), local(11)).status_code == 201  # and now changed
    refreshed = []
    real_refresh = days.refresh

    def spy_refresh(*args, **kwargs):
        refreshed.append(1)
        return real_refresh(*args, **kwargs)

    monkeypatch.setattr(days, "refresh", spy_refresh)
    seen = []

    def reader() -> None:
        with app.app_context(), Session(bind=db.engine) as session:
            seen.append(days.get(session, config, session.get(Region, morning.region_id), day))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    with kept.reading((config.effective_database_url, morning.region_id, day)):
        for thread in readers:  # all of them find the kept day stale and line up
            thread.start()
        for thread in readers:
            thread.join(0.5)
    for thread in readers:
        thread.join(30)

    assert len(seen) == 3 and len(refreshed) == 1
    assert seen[0] is seen[1] is seen[2]
