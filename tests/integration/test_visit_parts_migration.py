"""Migration 0014 moves each domain's part of a visit into its own table and back, data intact
(issue 10 §2: one small aggregate per domain; the no-overlap guard moves with the span)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from dispatch import schema
from dispatch.db import db
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import walk_to_site

BEFORE_PARTS = "0017_complaint_governance"


def _visit_columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("visits")}


def _constraints(name: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_constraint WHERE conname = :n"), {"n": name}
        ).scalar_one()


def test_field_record_route_stop_and_appointment_move_out_of_visits_and_back_with_their_data(
    client, world, session
):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    stop = session.get(Visit, visit).route_stop
    held = (stop.technician_id, stop.planned_start, stop.reserved_start, stop.reserved_end)
    assert held[0] == world.technician_ids["tech_a"] and held[2] is not None
    agreed = session.get(Visit, visit).appointment
    appointment = (agreed.status, agreed.released_at, agreed.released_by_id, agreed.release_reason)
    assert appointment[1] is not None and appointment[3]  # book_visit releases it
    walk_to_site(client, tech, visit, lat=31.30, lon=121.60)
    etag = client.get(f"/mobile/v1/visits/{visit}", headers=tech).headers["ETag"]
    saved = client.patch(
        f"/mobile/v1/visits/{visit}/record",
        headers=tech | {"If-Match": etag},
        json={"diagnosis": "Belt worn", "work_done": "Replaced belt", "solution": "New belt"},
    )
    assert saved.status_code == 200, saved.get_json()
    session.close()
    db.session.remove()
    assert not {"diagnosis", "reserved_start", "appointment_status"} & _visit_columns()

    command.downgrade(schema.alembic_config(db.url), BEFORE_PARTS)
    try:
        tables = set(inspect(db.engine).get_table_names())
        assert not {"visit_field_records", "route_stops", "appointments"} & tables
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT diagnosis, solution, arrival_far_from_site, technician_id,"
                    " planned_start, reserved_start, reserved_end FROM visits WHERE id = :v"
                ),
                {"v": visit},
            ).one()
        assert tuple(row[:3]) == ("Belt worn", "New belt", True)
        assert tuple(row[3:]) == held
        assert _constraints("visits_no_overlap") == 1
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT appointment_status, released_at, released_by_id, release_reason"
                    " FROM visits WHERE id = :v"
                ),
                {"v": visit},
            ).one()
        assert tuple(row) == appointment
    finally:
        schema.upgrade(db.url)

    assert not {"diagnosis", "reserved_start", "appointment_status"} & _visit_columns()
    assert (_constraints("visits_no_overlap"), _constraints("route_stops_no_overlap")) == (0, 1)
    stored = session.get(Visit, visit)
    stop = stored.route_stop
    assert (stop.technician_id, stop.planned_start, stop.reserved_start, stop.reserved_end) == held
    agreed = stored.appointment
    assert (agreed.status, agreed.released_at, agreed.released_by_id, agreed.release_reason) == (
        appointment
    )
    moved = stored.field_record
    assert (moved.diagnosis, moved.work_done, moved.solution) == (
        "Belt worn",
        "Replaced belt",
        "New belt",
    )
    assert moved.arrival_far_from_site is True and moved.arrival_distance_m > 18_000
