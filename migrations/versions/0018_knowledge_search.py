"""knowledge search (issue 13): FTS5 on SQLite, postings in weight order on PostgreSQL

SQLite (the zero-configuration default) gets an FTS5 table over the same jieba-segmented terms
(dispatch/knowledge/fts.py), filled from the existing postings. On both databases the postings
index becomes (term, weight, entry_id), so the best postings of a term are read first and a
common word is ranked on a bounded candidate set (dispatch/knowledge/search.py).

Revision ID: 0018_knowledge_search
Revises: 0014_visit_parts
Create Date: 2026-12-04 20:40:00
"""

from alembic import op

from dispatch.knowledge import fts, rules

revision = "0018_knowledge_search"
down_revision = "0018_attachments"
branch_labels = None
depends_on = None

# the entry's terms of one weight, space separated (title 3, body 1, characters 0; no facets)
_COLUMN = (
    "(SELECT coalesce(group_concat(t.term, ' '), '') FROM kb_terms t "
    "WHERE t.entry_id = e.entry_id AND t.weight = {weight} AND instr(t.term, ':') = 0)"
)


def upgrade() -> None:
    with op.batch_alter_table("kb_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_terms_term_entry")
        batch_op.create_index(
            "ix_kb_terms_term_weight_entry", ["term", "weight", "entry_id"], unique=False
        )
    # the vocabulary (typo look-ups) keeps words only; facets ("model:…") are postings alone
    op.execute("DELETE FROM kb_vocabulary WHERE term LIKE '%:%'")
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in fts.CREATE:
        op.execute(statement)
    op.execute(
        f"INSERT INTO {fts.TABLE} (rowid, title, body, chars) "
        f"SELECT e.entry_id, {_COLUMN.format(weight=rules.TITLE_WEIGHT)}, "
        f"{_COLUMN.format(weight=rules.BODY_WEIGHT)}, {_COLUMN.format(weight=rules.CHAR_WEIGHT)} "
        "FROM (SELECT DISTINCT entry_id FROM kb_terms) e"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in fts.DROP:
            op.execute(statement)
    with op.batch_alter_table("kb_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_terms_term_weight_entry")
        batch_op.create_index(
            "ix_kb_terms_term_entry", ["term", "entry_id", "weight"], unique=False
        )
