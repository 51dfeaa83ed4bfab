"""reports (issue 14): stored scheduled report runs and the indexes the reports read through

Revision ID: 0018_reports
Revises: 0014_visit_parts
Create Date: 2026-12-04 20:40:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0018_reports"
down_revision = "0018_list_indexes"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_rpt_complaints_received_at", "complaints", ["received_at"]),
    ("ix_rpt_complaints_technician_received", "complaints", ["technician_id", "received_at"]),
    ("ix_rpt_service_requests_registered_at", "service_requests", ["registered_at"]),
    ("ix_rpt_service_requests_site_id", "service_requests", ["site_id"]),
    ("ix_rpt_service_requests_asset_id", "service_requests", ["asset_id"]),
    ("ix_rpt_sites_region_id", "sites", ["region_id"]),
    ("ix_rpt_visits_completed_at", "visits", ["completed_at"]),
    ("ix_rpt_visits_window_end", "visits", ["window_end"]),
    ("ix_rpt_visits_created_at", "visits", ["created_at"]),
    ("ix_rpt_followups_deadline_at", "followups", ["deadline_at"]),
    ("ix_rpt_followups_answered_at", "followups", ["answered_at"]),
)


def upgrade() -> None:
    when = dispatch.db.UTCDateTime(timezone=True)
    op.create_table(
        "report_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("period_start", when, nullable=False),
        sa.Column("period_end", when, nullable=False),
        sa.Column("due_at", when, nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("generated_at", when, nullable=True),
        sa.Column("rows", sa.JSON(), nullable=True),
        sa.Column("csv_text", sa.Text(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_report_runs_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_runs")),
        sa.UniqueConstraint(
            "kind", "region_id", "period_start", name=op.f("uq_report_runs_kind")
        ),
    )
    op.create_index(op.f("ix_report_runs_due_at"), "report_runs", ["due_at"], unique=False)
    op.create_index(op.f("ix_report_runs_region_id"), "report_runs", ["region_id"], unique=False)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index(op.f("ix_report_runs_region_id"), table_name="report_runs")
    op.drop_index(op.f("ix_report_runs_due_at"), table_name="report_runs")
    op.drop_table("report_runs")
