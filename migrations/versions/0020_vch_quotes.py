"""quotes, fee table, finance desk, location modes (issues 17 and 11)

The configured fee table with versioned prices per region or global (fee_items, VCH-3); a class-A
visit's quote (findings, fault cause, warranty, accepted on the phone) and its charges, off-table
ones confirmed by the customer or disputed into a complaint (visit_quotes, quote_charges,
VCH-3/15). Invoice tasks get finance's hand-over, receipt and invoice (ROL-3, VCH-14). A job's
location mode, whose appointments dispatch and closing require (job_location_modes, VCH-17).

Revision ID: 0020_vch_quotes
Revises: 0020_privacy_leftovers
Create Date: 2026-12-04 23:20:55.166950
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db


revision = "0020_vch_quotes"
down_revision = "0020_privacy_leftovers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fee_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("valid_from", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_fee_items_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_fee_items_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_items")),
        sa.UniqueConstraint("region_id", "code", "valid_from", name=op.f("uq_fee_items_region_id")),
    )
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_items_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_fee_items_region_id"), ["region_id"], unique=False)

    op.create_table(
        "job_location_modes",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_job_location_modes_request_id_service_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["users.id"], name=op.f("fk_job_location_modes_set_by_id_users")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_job_location_modes")),
    )
    op.create_table(
        "visit_quotes",
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("fault_cause", sa.String(length=24), nullable=False),
        sa.Column("repair_method", sa.String(length=24), nullable=False),
        sa.Column("warranty_status", sa.String(length=24), nullable=False),
        sa.Column("warranty_basis", sa.String(length=500), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("accepted_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_via", sa.String(length=8), nullable=True),
        sa.Column("signature_sha256", sa.String(length=64), nullable=True),
        sa.Column("updated_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_quotes_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_visit_quotes")),
    )
    op.create_table(
        "quote_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("fee_item_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("off_table", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("added_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_via", sa.String(length=8), nullable=True),
        sa.Column("disputed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dispute_reason", sa.String(length=1000), nullable=True),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_quote_charges_complaint_id_complaints"),
        ),
        sa.ForeignKeyConstraint(
            ["fee_item_id"], ["fee_items.id"], name=op.f("fk_quote_charges_fee_item_id_fee_items")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit_quotes.visit_id"],
            name=op.f("fk_quote_charges_visit_id_visit_quotes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_charges")),
    )
    with op.batch_alter_table("quote_charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_charges_visit_id"), ["visit_id"], unique=False)

    with op.batch_alter_table("invoice_tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("handed_over_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("received_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("received_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("invoice_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("invoice_cents", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("invoice_mailed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("closed_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_invoice_tasks_status"), ["status"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_invoice_tasks_received_by_id_users"), "users", ["received_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("invoice_tasks", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_invoice_tasks_received_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_invoice_tasks_status"))
        batch_op.drop_column("closed_at")
        batch_op.drop_column("invoice_mailed_at")
        batch_op.drop_column("invoice_cents")
        batch_op.drop_column("invoice_number")
        batch_op.drop_column("received_by_id")
        batch_op.drop_column("received_at")
        batch_op.drop_column("handed_over_at")

    with op.batch_alter_table("quote_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_charges_visit_id"))

    op.drop_table("quote_charges")
    op.drop_table("visit_quotes")
    op.drop_table("job_location_modes")
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_items_region_id"))
        batch_op.drop_index(batch_op.f("ix_fee_items_code"))

    op.drop_table("fee_items")
