"""The zero-configuration path (SQLite) searches an FTS5 index of the same jieba-segmented text,
and reviews entries the same way (KB-4..KB-7)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from dispatch.db import db
from tests.knowledge.helpers import KB, entry_body, publish, search
from tests.knowledge.test_knowledge_api import (  # noqa: F401  (collected again, on SQLite)
    test_kb_4_agents_get_suggestions_while_typing_the_fault,
    test_kb_5_expired_and_retired_entries_are_not_found,
    test_kb_5_kb_6_drafts_never_appear_and_nobody_approves_their_own,
    test_kb_6_kb_7_a_change_waits_for_approval_and_versions_stay_readable,
    test_kb_13_bulk_import_reports_each_row,
)
from tests.knowledge.test_knowledge_mobile import (  # noqa: F401  (collected again, on SQLite)
    test_kb_4_each_visit_of_todays_route_and_sync_carries_its_top_3_hints,
    test_kb_4_route_hints_take_the_same_queries_for_one_visit_or_many,
)


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_kb_4_sqlite_finds_chinese_words_characters_codes_and_facets(client, world, kb):
    aircon = publish(client, world, kb)["id"]
    ids = lambda **q: [e["id"] for e in search(client, world, **q)]  # noqa: E731
    assert ids(q="制冷") == ids(q="冷") == ids(q="E4") == [aircon]
    assert ids(q="refrigerant") == ids(q="", model="ac-35") == [aircon]
    assert ids(q="空气调节") == [aircon]  # unknown words match by two of their characters
    assert ids(q="量子计算机") == []  # one shared character (机) is chance, not a match
    assert ids(q="dran pump") == []  # no pg_trgm here: typos need PostgreSQL


def _fts_row(entry_id: int):
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT title, body, chars FROM kb_fts WHERE rowid = :id"), {"id": entry_id}
        ).one_or_none()


def test_kb_4_sqlite_search_runs_on_fts5_over_the_segmented_text(client, world, kb):
    entry = publish(client, world, kb)["id"]
    row = _fts_row(entry)
    assert {"空调", "制冷", "e4"} <= set(row.title.split())  # jieba words, space separated
    assert "refrigerant" in row.body.split() and "冷" in row.chars.split()
    statements = []
    seen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert [e["id"] for e in search(client, world, q="制冷")] == [entry]
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert any("kb_fts MATCH" in s for s in statements)
    # an approved change re-indexes the entry; retiring it takes it out of the index
    author = world.auth("author")
    change = entry_body(kb, title="空调漏水，排水管堵塞", cause="排水管堵塞")["text"]
    client.put(f"{KB}/entries/{entry}/text", headers=author, json=change)
    client.post(f"{KB}/entries/{entry}/submit", headers=author, json={})
    client.post(f"{KB}/entries/{entry}/approve", headers=world.auth("reviewer"), json={})
    assert "漏水" in _fts_row(entry).title.split() and "制冷" not in _fts_row(entry).title.split()
    assert [e["id"] for e in search(client, world, q="漏水")] == [entry]
    client.post(f"{KB}/entries/{entry}/retire", headers=world.auth("kb_admin"), json={})
    assert _fts_row(entry) is None and search(client, world, q="漏水") == []
