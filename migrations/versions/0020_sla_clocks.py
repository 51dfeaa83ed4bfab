"""SLA clocks (issues 14 and 17): a job request's booking and answer clocks, regional windows

request_clocks: 1:1 with a job request, the due times of its two promises, the booking one in
the site region's working calendar (APT-1, DSP-1), and when the specific answer was given and
whether it came after 72 h (APT-12). Existing job requests get registration + 24 h / + 72 h
(what they were promised) and their first confirmed date as the answer.
regions: their own contact window for non-urgent SMS (APT-13), NULL falling back to the config.

Revision ID: 0020_sla_clocks
Revises: 0020_vch_quotes
Create Date: 2026-12-04 23:30:00
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0020_sla_clocks"
down_revision = "0020_vch_quotes"
branch_labels = None
depends_on = None

JOB_REQUEST_TYPES = ("repair", "installation", "inspection")  # as of this revision
ANSWERED = ("confirmed", "completed")


def upgrade() -> None:
    clocks = op.create_table(
        "request_clocks",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("booking_due_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer_due_at", dispatch.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", dispatch.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_late", sa.Boolean(), server_default="false", nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_request_clocks_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_request_clocks")),
    )
    with op.batch_alter_table("request_clocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_clocks_booking_due_at"), ["booking_due_at"])
        batch_op.create_index(batch_op.f("ix_request_clocks_answer_due_at"), ["answer_due_at"])
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_window_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("contact_window_end", sa.Time(), nullable=True))
    _backfill(op.get_bind(), clocks)


def _backfill(bind, clocks) -> None:
    """Give every existing job request its clocks (plain 24 h / 72 h, as promised then)."""
    types = ", ".join(f"'{t}'" for t in JOB_REQUEST_TYPES)
    answered = ", ".join(f"'{s}'" for s in ANSWERED)
    first_date = (
        "SELECT v.request_id, min(a.confirmed_at) AS at FROM visits v "
        f"JOIN appointments a ON a.visit_id = v.id WHERE a.status IN ({answered}) "
        "GROUP BY v.request_id"
    )
    if bind.dialect.name == "postgresql":
        op.execute(
            "INSERT INTO request_clocks "
            "(request_id, booking_due_at, answer_due_at, answered_at, answered_late) "
            "SELECT r.id, r.registered_at + interval '24 hours', "
            "r.registered_at + interval '72 hours', d.at, "
            "coalesce(d.at > r.registered_at + interval '72 hours', false) "
            f"FROM service_requests r LEFT JOIN ({first_date}) d ON d.request_id = r.id "
            f"WHERE r.request_type IN ({types})"
        )
        return
    # SQLite (bin/run): the zone-aware arithmetic in Python
    requests = sa.table(
        "service_requests",
        sa.column("id", sa.Integer),
        sa.column("request_type", sa.String),
        sa.column("registered_at", dispatch.db.UTCDateTime()),
    )
    firsts = dict(bind.execute(sa.text(first_date)).all())
    rows = bind.execute(
        sa.select(requests.c.id, requests.c.registered_at).where(
            requests.c.request_type.in_(JOB_REQUEST_TYPES)
        )
    ).all()
    values = []
    for request_id, registered in rows:
        at = firsts.get(request_id)
        if isinstance(at, str):  # a raw SQLite text column
            at = datetime.fromisoformat(at)
        at = at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at
        due = registered + timedelta(hours=72)
        values.append(
            {
                "request_id": request_id,
                "booking_due_at": registered + timedelta(hours=24),
                "answer_due_at": due,
                "answered_at": at,
                "answered_late": bool(at and at > due),
            }
        )
    if values:
        op.bulk_insert(clocks, values)


def downgrade() -> None:
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_column("contact_window_end")
        batch_op.drop_column("contact_window_start")
    with op.batch_alter_table("request_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_clocks_answer_due_at"))
        batch_op.drop_index(batch_op.f("ix_request_clocks_booking_due_at"))
    op.drop_table("request_clocks")
