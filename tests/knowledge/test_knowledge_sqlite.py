"""The zero-configuration path (SQLite) searches and reviews entries the same way (KB-4..KB-7)."""

from __future__ import annotations

import pytest

from tests.knowledge.helpers import publish, search
from tests.knowledge.test_knowledge_api import (  # noqa: F401  (collected again, on SQLite)
    test_kb_5_kb_6_drafts_never_appear_and_nobody_approves_their_own,
    test_kb_6_kb_7_a_change_waits_for_approval_and_versions_stay_readable,
    test_kb_13_bulk_import_reports_each_row,
)


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_kb_4_sqlite_finds_chinese_words_characters_codes_and_facets(client, world, kb):
    aircon = publish(client, world, kb)["id"]
    ids = lambda **q: [e["id"] for e in search(client, world, **q)]  # noqa: E731
    assert ids(q="制冷") == ids(q="冷") == ids(q="E4") == [aircon]
    assert ids(q="refrigerant") == ids(q="", model="ac-35") == [aircon]
    assert ids(q="dran pump") == []  # no pg_trgm here: typos need PostgreSQL
