"""Migration 0014 moves each domain's part of a visit into its own table and back, data intact
(issue 10 §2: one small aggregate per domain)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from dispatch import schema
from dispatch.db import db
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import walk_to_site

BEFORE_PARTS = "0012_delivery"


def _visit_columns() -> set[str]:
    return {c["name"] for c in inspect(db.engine).get_columns("visits")}


def test_field_record_moves_out_of_visits_and_back_with_its_data(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
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
    assert "diagnosis" not in _visit_columns()

    command.downgrade(schema.alembic_config(db.url), BEFORE_PARTS)
    try:
        assert "visit_field_records" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as conn:
            row = conn.execute(
                text("SELECT diagnosis, solution, arrival_far_from_site FROM visits WHERE id = :v"),
                {"v": visit},
            ).one()
        assert tuple(row) == ("Belt worn", "New belt", True)
    finally:
        schema.upgrade(db.url)

    assert "diagnosis" not in _visit_columns()
    moved = session.get(Visit, visit).field_record
    assert (moved.diagnosis, moved.work_done, moved.solution) == (
        "Belt worn",
        "Replaced belt",
        "New belt",
    )
    assert moved.arrival_far_from_site is True and moved.arrival_distance_m > 18_000
