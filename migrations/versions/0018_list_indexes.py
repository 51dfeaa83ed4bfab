"""list indexes: the keys the dispatcher's lists sort and filter by (issue 12)

Visits by their window (the day filter and the default order), requests by registration time
and by site, sites by region (the region clause of every list joins through the site).

Revision ID: 0018_list_indexes
Revises: 0014_visit_parts
Create Date: 2026-12-04 20:40:00
"""

from alembic import op

revision = "0018_list_indexes"
down_revision = "0018_knowledge_search"
branch_labels = None
depends_on = None

INDEXES = [
    ("visits", "window_start"),
    ("service_requests", "registered_at"),
    ("service_requests", "site_id"),
    ("sites", "region_id"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(f"ix_{table}_{column}")
