"""complaint governance: case opening, appeals, assists, jobs, notes, compensation (issue 18)

Revision ID: 0017_complaint_governance
Revises: 0016_knowledge
Create Date: 2026-12-04 17:48:44.593713
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0017_complaint_governance"
down_revision = "0016_knowledge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "request_first_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("due_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("responded_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("timetable", sa.String(length=500), nullable=True),
        sa.Column("breached_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_first_responses_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_first_responses")),
        sa.UniqueConstraint("request_id", name=op.f("uq_request_first_responses_request_id")),
    )
    with op.batch_alter_table("request_first_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_request_first_responses_due_at"), ["due_at"], unique=False
        )

    op.create_table(
        "complaint_routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handler_id"], ["users.id"], name=op.f("fk_complaint_routes_handler_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_routes")),
        sa.UniqueConstraint("category", "department", name=op.f("uq_complaint_routes_category")),
    )
    op.create_table(
        "compensations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(complaint_id IS NULL) <> (request_id IS NULL)",
            name=op.f("ck_compensations_complaint_or_job"),
        ),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_compensations_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_compensations_approver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_compensations_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_compensations_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_compensations_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensations")),
    )
    with op.batch_alter_table("compensations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_compensations_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_compensations_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "complaint_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("superior_role", sa.String(length=32), nullable=False),
        sa.Column("opened_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decided_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_appeals_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_complaint_appeals_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_appeals")),
    )
    with op.batch_alter_table("complaint_appeals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_appeals_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_assists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("due_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("done_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_assists_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_complaint_assists_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_assists")),
    )
    with op.batch_alter_table("complaint_assists", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_assists_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_jobs_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_complaint_jobs_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_jobs")),
        sa.UniqueConstraint("request_id", name=op.f("uq_complaint_jobs_request_id")),
    )
    with op.batch_alter_table("complaint_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_jobs_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_steps_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_steps")),
    )
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_steps_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "customer_special_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_customer_special_notes_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_customer_special_notes_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_special_notes_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_special_notes")),
    )
    with op.batch_alter_table("customer_special_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_special_notes_customer_id"), ["customer_id"], unique=False
        )

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("course_of_events", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("involved", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("technician_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("department", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("subject_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("case_decided_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("case_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("case_decision_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("responsible_party", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("plan_accepted_via", sa.String(length=8), nullable=True))
        batch_op.add_column(
            sa.Column("gm_decided_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("gm_decided_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("review_remedies", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("review_responsible", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("reviewed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("report_cause", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("report_fix", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("report_prevention", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("reported_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("link_jti", sa.String(length=43), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_complaints_link_jti"), ["link_jti"])
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_case_decided_by_id_users"),
            "users",
            ["case_decided_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_request_id_service_requests"),
            "service_requests",
            ["request_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_subject_user_id_users"), "users", ["subject_user_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_technician_id_technicians"),
            "technicians",
            ["technician_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_gm_decided_by_id_users"),
            "users",
            ["gm_decided_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("request_first_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_first_responses_due_at"))
    op.drop_table("request_first_responses")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_gm_decided_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_technician_id_technicians"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_subject_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_request_id_service_requests"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_complaints_case_decided_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_complaints_link_jti"), type_="unique")
        batch_op.drop_column("link_jti")
        batch_op.drop_column("reported_at")
        batch_op.drop_column("report_prevention")
        batch_op.drop_column("report_fix")
        batch_op.drop_column("report_cause")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("review_responsible")
        batch_op.drop_column("review_remedies")
        batch_op.drop_column("gm_decided_by_id")
        batch_op.drop_column("gm_decided_at")
        batch_op.drop_column("plan_accepted_via")
        batch_op.drop_column("responsible_party")
        batch_op.drop_column("evidence")
        batch_op.drop_column("case_decision_note")
        batch_op.drop_column("case_decided_by_id")
        batch_op.drop_column("case_decided_at")
        batch_op.drop_column("subject_user_id")
        batch_op.drop_column("department")
        batch_op.drop_column("technician_id")
        batch_op.drop_column("request_id")
        batch_op.drop_column("involved")
        batch_op.drop_column("course_of_events")
        batch_op.drop_column("place")

    with op.batch_alter_table("customer_special_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_special_notes_customer_id"))

    op.drop_table("customer_special_notes")
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_steps_complaint_id"))

    op.drop_table("complaint_steps")
    with op.batch_alter_table("complaint_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_jobs_complaint_id"))

    op.drop_table("complaint_jobs")
    with op.batch_alter_table("complaint_assists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_assists_complaint_id"))

    op.drop_table("complaint_assists")
    with op.batch_alter_table("complaint_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_appeals_complaint_id"))

    op.drop_table("complaint_appeals")
    with op.batch_alter_table("compensations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compensations_request_id"))
        batch_op.drop_index(batch_op.f("ix_compensations_complaint_id"))

    op.drop_table("compensations")
    op.drop_table("complaint_routes")
