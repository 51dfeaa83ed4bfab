"""PRV-5 on the zero-configuration database (SQLite): the access log is append-only there too.

Migration 0020 creates two triggers that RAISE(ABORT) on UPDATE and DELETE of
personal_data_access; its downgrade removes them and the upgrade puts them back.
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from dispatch import schema
from dispatch.db import db
from dispatch.privacy.models import AccessLogEntry

BEFORE = "0019_field_dispatch"
STATEMENTS = (
    "UPDATE personal_data_access SET purpose = 'rewritten'",
    "DELETE FROM personal_data_access",
)


@pytest.fixture
def backend() -> str:
    return "sqlite"


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(AccessLogEntry.id)))


def test_prv_5_sqlite_access_log_refuses_update_and_delete(client, world, session):
    read = client.get(f"/api/v1/customers/{world.customer_id}", headers=world.auth("dispatcher"))
    assert read.status_code == 200
    logged = _count(session)
    assert logged > 0
    for statement in STATEMENTS:
        with pytest.raises(DBAPIError) as refused, db.engine.begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(refused.value)
    assert _count(session) == logged
    assert "rewritten" not in session.scalars(select(AccessLogEntry.purpose)).all()


def test_prv_5_sqlite_triggers_come_and_go_with_migration_0020(client, world, session):
    client.get(f"/api/v1/customers/{world.customer_id}", headers=world.auth("dispatcher"))
    session.close()
    db.session.remove()
    command.downgrade(schema.alembic_config(db.url), BEFORE)
    try:
        with db.engine.connect() as conn:
            names = conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            assert not [n for n in names if n.startswith("personal_data_access")]
    finally:
        schema.upgrade(db.url)
    with db.engine.connect() as conn:
        names = set(
            conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
        )
    assert {"personal_data_access_no_update", "personal_data_access_no_delete"} <= names
    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text(STATEMENTS[1]))
