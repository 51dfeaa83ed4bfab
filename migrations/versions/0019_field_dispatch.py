"""field dispatch (issue 17): job assignments with reason and acceptance (DSP-3/4/5)

Every assignment of a visit to a technician is a row: who assigned it, when, why (a dispatcher's
override or pin needs a reason), and when the technician was pushed and accepted it (接单). An
unaccepted row past accept_due_at is the due row the worker's sweep turns into a dispatcher alert.
A voucher is issued at dispatch (VCH-1), before its times and content exist: they become nullable.
Unfinished jobs at the day end carry a handover note and next owner; the shift closes once all
have one (shift_closures, DSP-9).
Regions get a working calendar (Chinese holidays and make-up days) and a responsible lead (DSP-1).
Jobs handed to another region or department keep a transfer row the sender sees (DSP-13).
Assessments: a supervisor approves diagnosis and solution before the customer gets them (VCH-5).
Parts per job with status needed, ordered, ready, used (job_parts, VCH-16).
A follow-up can get its optional second touch 7 days later (FUP-10, off by default).
A visit can be marked simple (1 h check task, DSP-10); a region can switch on an emergency
arrival SLA (DSP-11), whose due time each assignment carries.
Hazardous jobs keep their pre-work checklist, second person and lone-working flag (VCH-18).
A request raised by "anything else?" at completion points at the request it came from (VCH-12).

Revision ID: 0019_field_dispatch
Revises: 0018_knowledge_search
Create Date: 2026-12-04 21:30:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0019_field_dispatch"
down_revision = "0019_intake_appointments"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, dispatch.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "job_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        _time("assigned_at", nullable=False),
        _time("accept_due_at", nullable=False),
        _time("pushed_at"),
        sa.Column("push_ref", sa.String(length=120), nullable=True),
        _time("accepted_at"),
        _time("accepted_device_at"),
        _time("alerted_at"),
        _time("ended_at"),
        _time("check_due_at"),
        _time("check_raised_at"),
        _time("arrival_due_at"),
        _time("arrival_breached_at"),
        sa.Column("handover_note", sa.String(length=1000), nullable=True),
        sa.Column("handover_owner_id", sa.Integer(), nullable=True),
        _time("handover_at"),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_job_assignments_visit_id_visits")
        ),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_job_assignments_technician_id_technicians"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_job_assignments_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["handover_owner_id"],
            ["users.id"],
            name=op.f("fk_job_assignments_handover_owner_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_assignments")),
    )
    op.create_table(
        "job_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("part_code", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _time("needed_at", nullable=False),
        _time("ordered_at"),
        _time("ready_at"),
        _time("used_at"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_job_parts_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_job_parts_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_parts")),
    )
    with op.batch_alter_table("job_parts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_parts_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("diagnosis", sa.Text(), nullable=False),
        sa.Column("proposed_solution", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=False),
        _time("submitted_at", nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _time("decided_at"),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        _time("sent_at"),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_assessments_visit_id_visits")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_assessments_submitted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_assessments_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("visit_id", name=op.f("uq_assessments_visit_id")),
    )
    op.create_table(
        "job_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("from_region_id", sa.Integer(), nullable=True),
        sa.Column("to_region_id", sa.Integer(), nullable=True),
        sa.Column("to_department", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        _time("at", nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_job_transfers_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["from_region_id"], ["regions.id"], name=op.f("fk_job_transfers_from_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["to_region_id"], ["regions.id"], name=op.f("fk_job_transfers_to_region_id_regions")
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_job_transfers_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_transfers")),
    )
    with op.batch_alter_table("job_transfers", schema=None) as batch_op:
        for column in ("request_id", "from_region_id", "to_region_id"):
            batch_op.create_index(
                batch_op.f(f"ix_job_transfers_{column}"), [column], unique=False
            )
    op.create_table(
        "shift_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        _time("closed_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_shift_closures_region_id_regions")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_shift_closures_closed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_closures")),
        sa.UniqueConstraint("region_id", "day", name=op.f("uq_shift_closures_region_id")),
    )
    with op.batch_alter_table("job_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_assignments_visit_id"), ["visit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_assignments_technician_id"), ["technician_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_job_assignments_accept_due_at"), ["accept_due_at"], unique=False
        )
    with op.batch_alter_table("service_vouchers", schema=None) as batch_op:
        for name in ("started_at", "ended_at"):
            batch_op.alter_column(
                name, existing_type=dispatch.db.UTCDateTime(timezone=True), nullable=True
            )
        batch_op.alter_column("service_content", existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.add_column(_time("second_touch_at"))
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("simple", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emergency_arrival_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("calendar", sa.String(length=16), nullable=False, server_default="cn")
        )
        batch_op.add_column(sa.Column("lead_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_regions_lead_user_id_users"), "users", ["lead_user_id"], ["id"]
        )
    with op.batch_alter_table("visit_field_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hazardous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("hazard_kind", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("safety_check", sa.JSON(), nullable=True))
        batch_op.add_column(_time("safety_checked_at"))
        batch_op.add_column(sa.Column("guardian_name", sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column("lone_working", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_request_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_service_requests_origin_request_id_service_requests"),
            "service_requests",
            ["origin_request_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("followups", schema=None) as batch_op:
        batch_op.drop_column("second_touch_at")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_regions_lead_user_id_users"), type_="foreignkey")
        batch_op.drop_column("lead_user_id")
        batch_op.drop_column("calendar")
        batch_op.drop_column("emergency_arrival_minutes")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_column("simple")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_requests_origin_request_id_service_requests"),
            type_="foreignkey",
        )
        batch_op.drop_column("origin_request_id")
    with op.batch_alter_table("visit_field_records", schema=None) as batch_op:
        for name in (
            "lone_working",
            "guardian_name",
            "safety_checked_at",
            "safety_check",
            "hazard_kind",
            "hazardous",
        ):
            batch_op.drop_column(name)
    # Vouchers issued at dispatch and never filled get an empty record before the columns
    # become required again (their issue time stands in for the missing work times).
    op.execute("UPDATE service_vouchers SET service_content = '' WHERE service_content IS NULL")
    op.execute("UPDATE service_vouchers SET started_at = issued_at WHERE started_at IS NULL")
    op.execute("UPDATE service_vouchers SET ended_at = issued_at WHERE ended_at IS NULL")
    with op.batch_alter_table("service_vouchers", schema=None) as batch_op:
        batch_op.alter_column("service_content", existing_type=sa.Text(), nullable=False)
        for name in ("started_at", "ended_at"):
            batch_op.alter_column(
                name, existing_type=dispatch.db.UTCDateTime(timezone=True), nullable=False
            )
    op.drop_table("shift_closures")
    op.drop_table("job_transfers")
    op.drop_table("assessments")
    op.drop_table("job_parts")
    op.drop_table("job_assignments")
