"""Migration 0020 gives existing job requests their booking and answer clocks (APT-1, APT-12)
and regions their contact-window columns (APT-13), and goes back cleanly."""

from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command
from sqlalchemy import inspect, text

from dispatch import schema
from dispatch.db import db
from tests.builders import book_visit

BEFORE = "0019_field_dispatch"


def test_apt_12_existing_job_requests_get_clocks_with_their_first_confirmed_date(
    client, world, session
):
    visit = book_visit(client, world, released=False)
    confirmed = client.post(f"/api/v1/visits/{visit['id']}/confirm", headers=world.auth("admin"))
    assert confirmed.status_code == 200, confirmed.get_json()
    session.close()
    db.session.remove()

    command.downgrade(schema.alembic_config(db.url), BEFORE)
    try:
        assert "request_clocks" not in inspect(db.engine).get_table_names()
        region_columns = {c["name"] for c in inspect(db.engine).get_columns("regions")}
        assert "contact_window_start" not in region_columns
    finally:
        schema.upgrade(db.url)

    with db.engine.connect() as conn:
        registered, booking, answer, answered, late, agreed = conn.execute(
            text(
                "SELECT r.registered_at, c.booking_due_at, c.answer_due_at, c.answered_at,"
                " c.answered_late, a.confirmed_at FROM request_clocks c"
                " JOIN service_requests r ON r.id = c.request_id"
                " JOIN visits v ON v.request_id = r.id JOIN appointments a ON a.visit_id = v.id"
                " WHERE v.id = :v"
            ),
            {"v": visit["id"]},
        ).one()
    assert isinstance(registered, datetime)
    assert (booking, answer) == (registered + timedelta(hours=24), registered + timedelta(hours=72))
    assert (answered, late) == (agreed, False)
