"""delivery: outbox re-drive lease and attempts; SMS attempt before the provider call

Revision ID: 0012_delivery
Revises: 0013_voucher_lifecycle
Create Date: 2026-12-04 17:00:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0012_delivery"
down_revision = "0013_voucher_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("redrive_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("given_up_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_redrive_at"), ["redrive_at"], unique=False
        )
    # Rows handed over before this revision and still not done are driven again at once.
    op.execute(
        "UPDATE outbox_messages SET redrive_at = enqueued_at "
        "WHERE enqueued_at IS NOT NULL AND processed_at IS NULL"
    )
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("attempted_at", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("client_ref", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sms_messages", schema=None) as batch_op:
        batch_op.drop_column("client_ref")
        batch_op.drop_column("attempted_at")
        batch_op.drop_column("attempts")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_redrive_at"))
        batch_op.drop_column("given_up_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("redrive_at")
        batch_op.drop_column("job_id")
