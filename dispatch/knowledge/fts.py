"""SQLite's search index (the zero-configuration default of `bin/run`): an FTS5 table over the
same jieba-segmented text PostgreSQL's term table holds (KB-4).

Each published entry is one row whose rowid is the entry's id, with three columns of
space-separated terms: the title's words, the body's words (and the product's names), and the
single Chinese characters (so a one-character query still matches). The terms are made by
`rules.index_terms`, exactly as for `kb_terms`; FTS5's unicode61 tokenizer only splits them at
the spaces we put in (a run of Chinese characters is one token to it, "-" is kept in words).
bm25 ranks, with the title counting most. A trigger drops the row when its entry goes.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, text
from sqlalchemy.orm import Session

from dispatch.knowledge import rules

TABLE = "kb_fts"
# bm25 weights of the columns: title, body, single characters
COLUMN_WEIGHTS = (rules.TITLE_WEIGHT + 1, rules.BODY_WEIGHT + 1, rules.CHAR_WEIGHT + 1)
MAX_PAIRED_CHARACTERS = 8

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, chars, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '-'\")",
    f"CREATE TRIGGER kb_fts_entry_deleted AFTER DELETE ON kb_entries BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; END",
)
DROP = ("DROP TRIGGER IF EXISTS kb_fts_entry_deleted", f"DROP TABLE IF EXISTS {TABLE}")


def columns(terms: dict[str, int]) -> dict[str, str]:
    """Split an entry's weighted terms (facets aside) into the three FTS columns."""
    by_weight = {rules.TITLE_WEIGHT: [], rules.BODY_WEIGHT: [], rules.CHAR_WEIGHT: []}
    for term, weight in terms.items():
        if term and not rules.is_facet(term) and weight in by_weight:
            by_weight[weight].append(term)
    return {
        "title": " ".join(by_weight[rules.TITLE_WEIGHT]),
        "body": " ".join(by_weight[rules.BODY_WEIGHT]),
        "chars": " ".join(by_weight[rules.CHAR_WEIGHT]),
    }


def write(session: Session, entry_id: int, terms: dict[str, int]) -> None:
    """Replace the entry's row by its published terms."""
    remove(session, entry_id)
    session.execute(
        text(
            f"INSERT INTO {TABLE} (rowid, title, body, chars) VALUES (:id, :title, :body, :chars)"
        ),
        {"id": entry_id, **columns(terms)},
    )


def remove(session: Session, entry_id: int) -> None:
    session.execute(text(f"DELETE FROM {TABLE} WHERE rowid = :id"), {"id": entry_id})


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: list[str], least: int) -> str:
    """Return the FTS5 query for the terms: any of them, or, when one shared character would be
    chance (`least` 2), any two of the characters together."""
    if least < 2:
        return " OR ".join(_quoted(t) for t in terms)
    chars = [t for t in terms if len(t) == 1][:MAX_PAIRED_CHARACTERS]
    words = [_quoted(t) for t in terms if len(t) > 1]
    pairs = [
        f"({_quoted(a)} AND {_quoted(b)})" for i, a in enumerate(chars) for b in chars[i + 1 :]
    ]
    return " OR ".join(pairs + words) or " OR ".join(_quoted(t) for t in terms)


def candidates(terms: list[str], least: int, limit: int | None):
    """Return a subquery (entry_id, score; lower is better) of the best matching entries."""
    weights = ", ".join(str(float(w)) for w in COLUMN_WEIGHTS)
    statement = text(
        f"SELECT rowid AS entry_id, bm25({TABLE}, {weights}) AS score FROM {TABLE} "
        f"WHERE {TABLE} MATCH :match ORDER BY score LIMIT :limit"
    ).bindparams(match=match_expression(terms, least), limit=limit if limit else -1)
    return statement.columns(entry_id=Integer, score=Float).subquery("fts")
