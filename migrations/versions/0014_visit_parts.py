"""visit parts: each domain's part of a visit in its own 1:1 table (issue 10 §2)

The on-site work record (owner dispatch.visits.fieldwork) moves to visit_field_records.
Data moves with the columns in both directions.

Revision ID: 0014_visit_parts
Revises: 0012_delivery
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0014_visit_parts"
down_revision = "0012_delivery"
branch_labels = None
depends_on = None


def _field_record_columns() -> list[sa.Column]:
    when = dispatch.db.UTCDateTime(timezone=True)
    return [
        sa.Column("arrival_distance_m", sa.Double(), nullable=True),
        sa.Column("arrival_far_from_site", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("work_started_at", when, nullable=True),
        sa.Column("paused_at", when, nullable=True),
        sa.Column("pause_reason", sa.String(length=32), nullable=True),
        sa.Column("unable_reason", sa.String(length=32), nullable=True),
        sa.Column("unable_note", sa.String(length=1000), nullable=True),
        sa.Column("unable_at", when, nullable=True),
        sa.Column("diagnosis", sa.String(length=4000), nullable=True),
        sa.Column("work_done", sa.String(length=4000), nullable=True),
        sa.Column("solution", sa.String(length=4000), nullable=True),
        sa.Column("estimate_cents", sa.Integer(), nullable=True),
        sa.Column("estimate_minutes", sa.Integer(), nullable=True),
        sa.Column("estimate_accepted_by", sa.String(length=120), nullable=True),
        sa.Column("estimate_accepted_at", when, nullable=True),
    ]


def _move_out(table: str, key: str, columns: list[sa.Column]) -> None:
    """Create the part's table, copy every visit's values into it, drop them from visits."""
    op.create_table(
        table,
        sa.Column(key, sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint([key], ["visits.id"], name=op.f(f"fk_{table}_{key}_visits")),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{table}")),
    )
    names = ", ".join(c.name for c in columns)
    op.execute(f"INSERT INTO {table} ({key}, {names}) SELECT id, {names} FROM visits")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in columns:
            batch_op.drop_column(column.name)


def _move_back(table: str, key: str, columns: list[sa.Column]) -> None:
    """Give visits the part's columns again, copy the values back and drop the part's table."""
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in columns:
            batch_op.add_column(column)
    for column in columns:
        op.execute(
            f"UPDATE visits SET {column.name} = "
            f"(SELECT p.{column.name} FROM {table} p WHERE p.{key} = visits.id) "
            f"WHERE EXISTS (SELECT 1 FROM {table} p WHERE p.{key} = visits.id)"
        )
    op.drop_table(table)


def upgrade() -> None:
    _move_out("visit_field_records", "visit_id", _field_record_columns())


def downgrade() -> None:
    _move_back("visit_field_records", "visit_id", _field_record_columns())
