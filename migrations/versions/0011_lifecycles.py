"""lifecycles as data: job hold/close fields, visit release, reassignment rows (issue 10 §2)

Revision ID: 0011_lifecycles
Revises: 0009_major_complaints
Create Date: 2026-12-04 17:30:00

Data: requests stored as `in_service` (the old "technician arrived") become `on_site`; existing
visits get their creation time from the audit row of their booking, else their change time.
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0011_lifecycles"
down_revision = "0009_major_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=16), type_=sa.String(length=24)
        )
        batch_op.add_column(sa.Column("hold_reason", sa.String(length=24), nullable=True))
        batch_op.add_column(
            sa.Column("held_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("hold_told_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("hold_told_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("closed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("closed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_service_requests_hold_told_by_id_users"),
            "users",
            ["hold_told_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_service_requests_closed_by_id_users"), "users", ["closed_by_id"], ["id"]
        )
    op.execute("UPDATE service_requests SET status = 'on_site' WHERE status = 'in_service'")
    op.execute(
        "UPDATE service_requests SET hold_reason = 'coordination' WHERE status = 'on_hold'"
    )

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.alter_column(
            "appointment_status", existing_type=sa.String(length=16), type_=sa.String(length=24)
        )
        batch_op.add_column(
            sa.Column("created_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("released_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("released_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("release_reason", sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_visits_released_by_id_users"), "users", ["released_by_id"], ["id"]
        )
    op.execute(
        "UPDATE visits SET created_at = (SELECT MIN(a.server_time) FROM audit_entries a"
        " WHERE a.entity = 'visit' AND a.entity_id = visits.id)"
    )
    op.execute("UPDATE visits SET created_at = COALESCE(created_at, changed_at, window_start)")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.alter_column(
            "created_at", existing_type=dispatch.db.UTCDateTime(timezone=True), nullable=False
        )

    op.create_table(
        "visit_reassignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_visit_reassignments_technician_id_technicians"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_reassignments_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_reassignments")),
    )
    with op.batch_alter_table("visit_reassignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_reassignments_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_visit_reassignments_technician_id"), ["technician_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_visit_reassignments_visit_id"), ["visit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("visit_reassignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_reassignments_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_reassignments_technician_id"))
        batch_op.drop_index(batch_op.f("ix_visit_reassignments_at"))
    op.drop_table("visit_reassignments")

    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_visits_released_by_id_users"), type_="foreignkey")
        batch_op.drop_column("release_reason")
        batch_op.drop_column("released_by_id")
        batch_op.drop_column("released_at")
        batch_op.drop_column("created_at")
    # States the old code does not know fall back to its nearest one.
    op.execute(
        "UPDATE visits SET appointment_status = 'proposed'"
        " WHERE appointment_status = 'reschedule_requested'"
    )
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.alter_column(
            "appointment_status", existing_type=sa.String(length=24), type_=sa.String(length=16)
        )

    op.execute(
        "UPDATE service_requests SET status = 'in_service'"
        " WHERE status IN ('en_route', 'on_site', 'in_progress')"
    )
    op.execute(
        "UPDATE service_requests SET status = 'registered'"
        " WHERE status IN ('verified', 'reopened', 'assigned', 'accepted')"
    )
    op.execute(
        "UPDATE service_requests SET status = 'completed' WHERE status = 'closed'"
    )
    op.execute(
        "UPDATE service_requests SET status = 'cancelled'"
        " WHERE status IN ('resolved_remotely', 'out_of_scope')"
    )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_requests_closed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_service_requests_hold_told_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("closed_by_id")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("hold_told_by_id")
        batch_op.drop_column("hold_told_at")
        batch_op.drop_column("held_at")
        batch_op.drop_column("hold_reason")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=24), type_=sa.String(length=16)
        )
