"""auth hardening: login lockout on users; the channel (staff or mobile) of each login session

Revision ID: 0015_auth_hardening
Revises: 0012_delivery
Create Date: 2026-12-04 18:00:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0015_auth_hardening"
down_revision = "0012_delivery"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("locked_until", dispatch.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("device_sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channel", sa.String(length=16), nullable=False, server_default="mobile")
        )


def downgrade() -> None:
    with op.batch_alter_table("device_sessions", schema=None) as batch_op:
        batch_op.drop_column("channel")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
