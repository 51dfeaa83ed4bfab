"""The database must be able to index Chinese; a database that cannot is refused with a clear
message (issue 13: pg_trgm extracts nothing from Chinese when LC_CTYPE is "C")."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, event, make_url

from dispatch.actors import SYSTEM
from dispatch.db import db
from dispatch.knowledge.search import chinese_index_problem, search
from dispatch.knowledge.segment import Segmenter
from tests.conftest import PG_URL
from tests.knowledge.helpers import publish


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


def test_kb_4_two_character_queries_are_answered_from_the_term_index(client, world, kb):
    """The plan of a 1–2 character search reads the postings index, never the whole table (the
    figures at 100,000 entries are in bench/knowledge.py); the planner is told to avoid
    sequential scans, so a query shape that needs one (LIKE '%制冷%') would still show it."""
    publish(client, world, kb)
    captured = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "kb_terms" in statement and "GROUP BY" in statement:
            captured.append((statement, parameters))

    cut = Segmenter().cut
    for query in ("冷", "制冷", "E4"):
        captured.clear()
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            search(db.session, actor=SYSTEM, cut=cut, q=query, log=False)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        statement, parameters = captured[0]
        connection = db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = connection.connection.dbapi_connection
        plan = "\n".join(
            connection.exec_driver_sql(
                "EXPLAIN " + psycopg.ClientCursor(raw).mogrify(statement, parameters)
            ).scalars()
        )
        assert "Seq Scan" not in plan and "ix_kb_terms_term_weight_entry" in plan, plan
    db.session.rollback()
