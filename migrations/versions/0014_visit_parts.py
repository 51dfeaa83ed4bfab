"""visit parts: each domain's part of a visit in its own 1:1 table (issue 10 §2)

The on-site work record (owner dispatch.visits.fieldwork) moves to visit_field_records; the
visit's place on a technician's day (owner dispatch.schedule) to route_stops, with a copy of the
technician id and the no-overlap exclusion constraint; the appointment with the customer (owner
dispatch.booking) to appointments. Data moves with the columns both ways.

Revision ID: 0014_visit_parts
Revises: 0017_complaint_governance
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0014_visit_parts"
down_revision = "0017_complaint_governance"
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


def _route_stop_columns() -> list[sa.Column]:
    when = dispatch.db.UTCDateTime(timezone=True)
    return [
        sa.Column("planned_start", when, nullable=True),
        sa.Column("reserved_start", when, nullable=True),
        sa.Column("reserved_end", when, nullable=True),
        sa.Column("route_position", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("pinned_technician", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("pinned_start", when, nullable=True),
    ]


def _appointment_columns() -> list[sa.Column]:
    when = dispatch.db.UTCDateTime(timezone=True)
    return [
        sa.Column("status", sa.String(length=24), nullable=False),  # visits.appointment_status
        sa.Column("confirmed_at", when, nullable=True),
        sa.Column("reschedule_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.Column("released_at", when, nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("release_reason", sa.String(length=500), nullable=True),
    ]


APPOINTMENT_SOURCES = {"status": "appointment_status"}


# Two stops of one technician may never hold overlapping time. Checked per statement
# (immediate), deferrable so accepting a whole plan can swap visits within a commit.
ROUTE_STOPS_NO_OVERLAP = (
    "ALTER TABLE route_stops ADD CONSTRAINT route_stops_no_overlap EXCLUDE USING gist "
    "(technician_id WITH =, tstzrange(reserved_start, reserved_end) WITH &&) "
    "WHERE (reserved_start IS NOT NULL) DEFERRABLE INITIALLY IMMEDIATE"
)
VISITS_NO_OVERLAP = (
    "ALTER TABLE visits ADD CONSTRAINT visits_no_overlap EXCLUDE USING gist "
    "(technician_id WITH =, tstzrange(reserved_start, reserved_end) WITH &&) "
    "WHERE (status <> 'cancelled' AND reserved_start IS NOT NULL) "
    "DEFERRABLE INITIALLY IMMEDIATE"
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _move_out(
    table: str, key: str, columns: list[sa.Column], *extra, copied=(), sources=None
) -> None:
    """Create the part's table, copy every visit's values into it, drop them from visits.

    `copied` names visit columns the part keeps a copy of (they stay on visits too); `sources`
    maps a part's column to the visit column it came from when the names differ.
    """
    sources = sources or {}
    op.create_table(
        table,
        sa.Column(key, sa.Integer(), nullable=False),
        *columns,
        *extra,
        sa.ForeignKeyConstraint([key], ["visits.id"], name=op.f(f"fk_{table}_{key}_visits")),
        sa.PrimaryKeyConstraint(key, name=op.f(f"pk_{table}")),
    )
    names = ", ".join([*copied, *(c.name for c in columns)])
    old = ", ".join([*copied, *(sources.get(c.name, c.name) for c in columns)])
    op.execute(f"INSERT INTO {table} ({key}, {names}) SELECT id, {old} FROM visits")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in columns:
            batch_op.drop_column(sources.get(column.name, column.name))


def _move_back(table: str, key: str, columns: list[sa.Column], sources=None) -> None:
    """Give visits the part's columns again, copy the values back and drop the part's table."""
    sources = sources or {}
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in columns:
            if column.name in sources:  # filled below, then required
                batch_op.add_column(sa.Column(sources[column.name], column.type, nullable=True))
            else:
                batch_op.add_column(column)
    for column in columns:
        op.execute(
            f"UPDATE visits SET {sources.get(column.name, column.name)} = "
            f"(SELECT p.{column.name} FROM {table} p WHERE p.{key} = visits.id) "
            f"WHERE EXISTS (SELECT 1 FROM {table} p WHERE p.{key} = visits.id)"
        )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in columns:
            if column.name in sources:
                batch_op.alter_column(
                    sources[column.name], existing_type=column.type, nullable=column.nullable
                )
    op.drop_table(table)


def upgrade() -> None:
    _move_out("visit_field_records", "visit_id", _field_record_columns())
    if _postgres():
        op.execute("ALTER TABLE visits DROP CONSTRAINT IF EXISTS visits_no_overlap")
    # A cancelled or missed visit holds no time (the constraint below need not know statuses).
    op.execute(
        "UPDATE visits SET reserved_start = NULL, reserved_end = NULL WHERE status = 'cancelled'"
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visits_plan_id_route_plans", type_="foreignkey")
    _move_out(
        "route_stops",
        "visit_id",
        _route_stop_columns(),
        sa.Column("technician_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["route_plans.id"], name=op.f("fk_route_stops_plan_id_route_plans")
        ),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_route_stops_technician_id_technicians"),
        ),
        copied=("technician_id",),
    )
    op.create_index(op.f("ix_route_stops_technician_id"), "route_stops", ["technician_id"])
    if _postgres():
        op.execute(ROUTE_STOPS_NO_OVERLAP)
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visits_released_by_id_users", type_="foreignkey")
    _move_out(
        "appointments",
        "visit_id",
        _appointment_columns(),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["users.id"], name=op.f("fk_appointments_released_by_id_users")
        ),
        sources=APPOINTMENT_SOURCES,
    )


def downgrade() -> None:
    _move_back("appointments", "visit_id", _appointment_columns(), APPOINTMENT_SOURCES)
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_visits_released_by_id_users", "users", ["released_by_id"], ["id"]
        )
    op.drop_index(op.f("ix_route_stops_technician_id"), table_name="route_stops")
    _move_back("route_stops", "visit_id", _route_stop_columns())
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_visits_plan_id_route_plans", "route_plans", ["plan_id"], ["id"]
        )
    if _postgres():
        op.execute(VISITS_NO_OVERLAP)
    _move_back("visit_field_records", "visit_id", _field_record_columns())
