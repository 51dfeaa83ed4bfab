"""voucher lifecycle: the work record a voucher carries (VCH-6)

Revision ID: 0013_voucher_lifecycle
Revises: 0011_lifecycles
Create Date: 2026-12-04 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_voucher_lifecycle"
down_revision = "0011_lifecycles"
branch_labels = None
depends_on = None

RECORD = ("problem", "work_done", "solution", "result")


def upgrade() -> None:
    # Nullable: vouchers issued before VCH-6 was enforced keep their signed content unchanged.
    with op.batch_alter_table("service_vouchers", schema=None) as batch_op:
        for name in RECORD:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("service_vouchers", schema=None) as batch_op:
        for name in reversed(RECORD):
            batch_op.drop_column(name)
