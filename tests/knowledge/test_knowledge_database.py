"""The database must be able to index Chinese; a database that cannot is refused with a clear
message (issue 13: pg_trgm extracts nothing from Chinese when LC_CTYPE is "C")."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, make_url

from dispatch.db import db
from dispatch.knowledge.search import chinese_index_problem
from tests.conftest import PG_URL


@pytest.fixture
def c_ctype_url():
    url = make_url(PG_URL)
    name = f"{url.database}_c_ctype"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' "
            "TEMPLATE template0"
        )
    yield url.set(database=name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_kb_4_a_c_ctype_database_is_refused_with_a_clear_message(c_ctype_url):
    engine = create_engine(c_ctype_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            problem = chinese_index_problem(connection)
    finally:
        engine.dispose()
    assert problem and "cannot index Chinese" in problem and "LC_CTYPE='C'" in problem


def test_kb_4_the_test_database_indexes_chinese(app):
    with db.engine.connect() as connection:
        assert chinese_index_problem(connection) is None


def test_kb_4_migrate_at_start_up_refuses_a_database_that_cannot_index_chinese(
    app, config, c_ctype_url
):
    runner = app.test_cli_runner()
    db.configure(c_ctype_url.render_as_string(False))
    try:
        result = runner.invoke(args=["migrate"])
    finally:
        db.configure(config.effective_database_url)
    assert result.exit_code != 0
    message = f"{result.output} {result.exception or ''}"
    assert "cannot index Chinese" in message and "C.UTF-8" in message


def test_kb_4_migrate_accepts_the_utf8_test_database(app):
    result = app.test_cli_runner().invoke(args=["migrate"])
    assert result.exit_code == 0 and "database at head" in result.output
