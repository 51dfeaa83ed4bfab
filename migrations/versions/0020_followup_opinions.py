"""follow-up opinions and periodic return visits (issue 17: FUP-8, FUP-9, FUP-11)

Opinions from follow-up remarks and from the customer's links, each routed by category to the
responsible department's inbox with an owner and status; the staff's replies, each with the SMS
that carried it (opinions, opinion_replies). A retried customer submission carries the same
client key (unique per customer).
Periodic return visits (定期回访): plans per service class or product model (none: off), and the
tasks the worker's sweep creates when a job's completion plus the interval has passed, unique
per plan, job and due time, each ending with an outcome (return_visit_plans, return_visits).

Revision ID: 0020_followup_opinions
Revises: 0020_intake_web_and_plans
Create Date: 2026-12-04 23:30:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0020_followup_opinions"
down_revision = "0020_intake_web_and_plans"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, dispatch.db.UTCDateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("followup_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("department", sa.String(length=24), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("client_key", sa.String(length=128), nullable=True),
        _time("created_at", nullable=False),
        _time("acknowledged_at"),
        _time("closed_at"),
        sa.Column("close_note", sa.String(length=500), nullable=True),
        _fk("opinions", "followup_id", "followups"),
        _fk("opinions", "visit_id", "visits"),
        _fk("opinions", "customer_id", "customers"),
        _fk("opinions", "owner_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinions")),
        sa.UniqueConstraint("followup_id", name=op.f("uq_opinions_followup_id")),
        sa.UniqueConstraint("customer_id", "client_key", name=op.f("uq_opinions_customer_id")),
    )
    _index("opinions", "visit_id", "customer_id", "department")
    op.create_table(
        "opinion_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("sms_id", sa.Integer(), nullable=True),
        _time("created_at", nullable=False),
        _fk("opinion_replies", "opinion_id", "opinions"),
        _fk("opinion_replies", "author_id", "users"),
        _fk("opinion_replies", "sms_id", "sms_messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_replies")),
    )
    _index("opinion_replies", "opinion_id")
    op.create_table(
        "return_visit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_class", sa.String(length=1), nullable=True),
        sa.Column("product_model", sa.String(length=120), nullable=True),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _time("created_at", nullable=False),
        sa.CheckConstraint(
            "(service_class IS NULL) <> (product_model IS NULL)",
            name=op.f("ck_return_visit_plans_one_key"),
        ),
        sa.CheckConstraint(
            "interval_months BETWEEN 1 AND 60", name=op.f("ck_return_visit_plans_interval_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_visit_plans")),
    )
    op.create_table(
        "return_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        _time("due_at", nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        _time("done_at"),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        _time("created_at", nullable=False),
        _fk("return_visits", "plan_id", "return_visit_plans"),
        _fk("return_visits", "request_id", "service_requests"),
        _fk("return_visits", "customer_id", "customers"),
        _fk("return_visits", "owner_id", "users"),
        _fk("return_visits", "done_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_visits")),
        sa.UniqueConstraint(
            "plan_id", "request_id", "due_at", name=op.f("uq_return_visits_plan_id")
        ),
    )
    _index("return_visits", "plan_id", "request_id", "customer_id")


def downgrade() -> None:
    op.drop_table("return_visits")
    op.drop_table("return_visit_plans")
    op.drop_table("opinion_replies")
    op.drop_table("opinions")
