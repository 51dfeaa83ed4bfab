"""privacy leftovers (issue 11): the access log append-only on SQLite too, held erasures retried

On SQLite (the zero-configuration development database) two triggers refuse every UPDATE and
DELETE of personal_data_access, as the PostgreSQL trigger of 0018_privacy does (PRV-5).
An erasure held back by an open complaint or an unpaid charge carries the time it is next
tried (retry_at); the worker's sweep re-drives it then (PRV-9).

Revision ID: 0020_privacy_leftovers
Revises: 0020_followup_opinions
Create Date: 2026-12-04 23:40:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db
from dispatch.privacy.append_only import SQLITE_DROP, SQLITE_TRIGGERS

revision = "0020_privacy_leftovers"
down_revision = "0020_followup_opinions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("erasure_requests") as batch:
        batch.add_column(sa.Column("retry_at", dispatch.db.UTCDateTime(timezone=True)))
        batch.create_index("ix_erasure_requests_retry_at", ["retry_at"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    with op.batch_alter_table("erasure_requests") as batch:
        batch.drop_index("ix_erasure_requests_retry_at")
        batch.drop_column("retry_at")
