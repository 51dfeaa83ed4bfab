"""intake (issue 17): service plans agreed before dispatch, the public web form (INT-12, INT-15)

A request whose remedy is known at intake gets a service plan (remedy, estimated cost and time)
that the customer agrees to (同意方案) on a link or through an agent; a rejected one goes back to
drafting. Dispatch is refused until it is agreed.
Customers without a login submit requests on a public web form after confirming their phone by
a one-time SMS code: phone_codes keeps only keyed hashes (code, phone, client address), tries
and expiry; web_requests is the intake queue of what they submitted (personal fields encrypted,
cleared once an agent registers the request).

Revision ID: 0020_intake_web_and_plans
Revises: 0019_field_dispatch
Create Date: 2026-12-04 23:30:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0020_intake_web_and_plans"
down_revision = "0019_field_dispatch"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, dispatch.db.UTCDateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "service_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("remedy", sa.Text(), nullable=False),
        sa.Column("estimate_cents", sa.Integer(), nullable=True),
        sa.Column("estimate_minutes", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _time("drafted_at", nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=False),
        _time("proposed_at"),
        sa.Column("link_jti", sa.String(length=43), nullable=True),
        _time("link_expires_at"),
        _time("agreed_at"),
        sa.Column("agreed_via", sa.String(length=8), nullable=True),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        _time("rejected_at"),
        sa.Column("reject_reason", sa.String(length=500), nullable=True),
        sa.Column("rejections", sa.Integer(), nullable=False),
        _fk("service_plans", "request_id", "service_requests"),
        _fk("service_plans", "drafted_by_id", "users"),
        _fk("service_plans", "agreed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_plans")),
        sa.UniqueConstraint("request_id", name=op.f("uq_service_plans_request_id")),
        sa.UniqueConstraint("link_jti", name=op.f("uq_service_plans_link_jti")),
    )

    op.create_table(
        "phone_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_index", sa.String(length=64), nullable=False),
        sa.Column("client_index", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("sent_at", nullable=False),
        _time("expires_at", nullable=False),
        _time("used_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_codes")),
    )
    for column in ("phone_index", "client_index", "sent_at"):
        op.create_index(op.f(f"ix_phone_codes_{column}"), "phone_codes", [column])
    op.create_table(
        "web_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_code_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("phone_index", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("product_model", sa.String(length=120), nullable=True),
        sa.Column("fault_description", sa.Text(), nullable=False),
        sa.Column("preferred_time", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("consent_notice_version", sa.String(length=16), nullable=False),
        _time("consent_at", nullable=False),
        _time("submitted_at", nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        _time("registered_at"),
        _fk("web_requests", "phone_code_id", "phone_codes"),
        _fk("web_requests", "region_id", "regions"),
        _fk("web_requests", "request_id", "service_requests"),
        _fk("web_requests", "registered_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_requests")),
        sa.UniqueConstraint("phone_code_id", name=op.f("uq_web_requests_phone_code_id")),
    )
    for column in ("phone_index", "region_id", "submitted_at"):
        op.create_index(op.f(f"ix_web_requests_{column}"), "web_requests", [column])


def downgrade() -> None:
    op.drop_table("web_requests")
    op.drop_table("phone_codes")
    op.drop_table("service_plans")
