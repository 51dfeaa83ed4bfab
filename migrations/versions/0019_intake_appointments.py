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
down_revision = "0018_privacy"
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
    op.create_table(
        "request_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("summary", sa.String(length=1000), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("sms_id", sa.Integer(), nullable=True),
        sa.Column("at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_contacts_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_request_contacts_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sms_id"], ["sms_messages.id"], name=op.f("fk_request_contacts_sms_id_sms_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_contacts")),
    )
    with op.batch_alter_table("request_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_contacts_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "call_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_call_tasks_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_call_tasks_visit_id_visits")),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_call_tasks_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"], ["users.id"], name=op.f("fk_call_tasks_resolved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_tasks")),
        sa.UniqueConstraint("visit_id", "kind", name=op.f("uq_call_tasks_visit_id")),
    )
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_tasks_request_id"), ["request_id"], unique=False)
    op.create_table(
        "customer_phones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("phone_index", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=True),
        sa.Column("added_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_phones_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_phones")),
    )
    with op.batch_alter_table("customer_phones", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_phones_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_phones_phone_index"), ["phone_index"], unique=False
        )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("merged_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customers_merged_into_id_customers"),
            "customers",
            ["merged_into_id"],
            ["id"],
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
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_customers_merged_into_id_customers"), type_="foreignkey"
        )
        batch_op.drop_column("merged_at")
        batch_op.drop_column("merged_into_id")
    op.drop_table("customer_phones")
    op.drop_table("request_contacts")
    op.drop_table("call_tasks")
