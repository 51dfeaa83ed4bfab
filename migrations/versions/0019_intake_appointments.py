"""intake assessment, linked and submitted requests, typed appointments (INT-9..11, 14, 17, APT-3/4/10)

request_assessments holds the diagnosis, the answer of a request closed without a visit, the
scope check and what is missing (1:1 with service_requests). Requests gain the closed request
they follow and who submitted them; field records gain the late-arrival flag and delay ETA; appointments gain a kind, who confirmed them, and the
special-assistance and access notes.

Revision ID: 0019_intake_appointments
Revises: 0018_attachments
Create Date: 2026-12-04 21:25:00.000000
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0019_intake_appointments"
down_revision = "0018_attachments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_assessments",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=True),
        sa.Column("diagnosed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("diagnosed_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_how", sa.String(length=16), nullable=True),
        sa.Column("answered_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("in_scope", sa.Boolean(), nullable=True),
        sa.Column("scope_reason", sa.String(length=500), nullable=True),
        sa.Column("scope_checked_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scope_checked_by_id", sa.Integer(), nullable=True),
        sa.Column("missing", sa.JSON(), nullable=False),
        sa.Column("supplement_asked_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("details_confirmed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("details_confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_time", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_assessments_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["diagnosed_by_id"],
            ["users.id"],
            name=op.f("fk_request_assessments_diagnosed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["details_confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_request_assessments_details_confirmed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["scope_checked_by_id"],
            ["users.id"],
            name=op.f("fk_request_assessments_scope_checked_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_request_assessments")),
    )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follows_request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("submitted_by_kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("submitted_by_name", sa.String(length=120), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_service_requests_follows_request_id_service_requests"),
            "service_requests",
            ["follows_request_id"],
            ["id"],
        )
    with op.batch_alter_table("visit_field_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("arrived_late", sa.Boolean(), nullable=False, server_default="false")
        )
        batch_op.add_column(
            sa.Column("delay_eta", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="repair")
        )
        batch_op.add_column(sa.Column("confirmed_via", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assistance_notes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("access_instructions", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_appointments_confirmed_by_id_users"),
            "users",
            ["confirmed_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_appointments_confirmed_by_id_users"), type_="foreignkey"
        )
        for column in (
            "access_instructions",
            "assistance_notes",
            "confirmed_by_id",
            "confirmed_via",
            "kind",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("visit_field_records", schema=None) as batch_op:
        batch_op.drop_column("delay_eta")
        batch_op.drop_column("arrived_late")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_requests_follows_request_id_service_requests"),
            type_="foreignkey",
        )
        for column in ("submitted_by_name", "submitted_by_kind", "follows_request_id"):
            batch_op.drop_column(column)
    op.drop_table("request_assessments")
