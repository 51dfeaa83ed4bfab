"""The access log is append-only (PRV-5): the database itself refuses UPDATE and DELETE.

PostgreSQL: a trigger function of migration 0018_privacy. SQLite (the development database):
the triggers below, created by migration 0020_privacy_leftovers, abort the statement.
"""

from __future__ import annotations

TABLE = "personal_data_access"
SQLITE_TRIGGERS = tuple(
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()}
BEFORE {op} ON {TABLE}
BEGIN
    SELECT RAISE(ABORT, '{TABLE} is append-only (PRV-5): {op} refused');
END"""
    for op in ("UPDATE", "DELETE")
)
SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}" for op in ("update", "delete"))
