"""knowledge base (issue 13): tree, entries, reviewed versions, search terms, usage

Revision ID: 0016_knowledge
Revises: 0015_auth_hardening
Create Date: 2026-12-04 17:50:05.441754
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db
from dispatch.knowledge.search import chinese_index_problem


revision = '0016_knowledge'
down_revision = '0015_auth_hardening'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    is_sqlite = bind.dialect.name == "sqlite"
    if not is_sqlite:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    problem = chinese_index_problem(bind)
    if problem:
        raise RuntimeError(problem)
    # SQLite accepts a reference to a table created later; PostgreSQL gets it added below.
    published_fk = (
        [
            sa.ForeignKeyConstraint(
                ["published_version_id"],
                ["kb_versions.id"],
                name="fk_kb_entries_published_version",
                ondelete="SET NULL",
            )
        ]
        if is_sqlite
        else []
    )
    op.create_table('kb_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_kb_categories_name'))
    )
    op.create_table('kb_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['kb_categories.id'], name=op.f('fk_kb_packages_category_id_kb_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_packages')),
    sa.UniqueConstraint('category_id', 'name', name=op.f('uq_kb_packages_category_id'))
    )
    op.create_table('kb_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['kb_packages.id'], name=op.f('fk_kb_topics_package_id_kb_packages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_topics')),
    sa.UniqueConstraint('package_id', 'name', name=op.f('uq_kb_topics_package_id'))
    )
    op.create_table('kb_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('business_category', sa.String(length=64), nullable=False),
    sa.Column('product_category', sa.String(length=64), nullable=False),
    sa.Column('problem_type', sa.String(length=64), nullable=False),
    sa.Column('solution_method', sa.String(length=64), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=False),
    sa.Column('source_visit_id', sa.Integer(), nullable=True),
    sa.Column('source_document', sa.String(length=255), nullable=True),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('valid_until', dispatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_review_at', dispatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('published_version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', dispatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_kb_entries_author_id_users')),
    *published_fk,
    sa.ForeignKeyConstraint(['source_visit_id'], ['visits.id'], name=op.f('fk_kb_entries_source_visit_id_visits')),
    sa.ForeignKeyConstraint(['topic_id'], ['kb_topics.id'], name=op.f('fk_kb_entries_topic_id_kb_topics')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_entries')),
    sa.UniqueConstraint('number', name=op.f('uq_kb_entries_number'))
    )
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_entries_source_visit_id'), ['source_visit_id'], unique=False)
        batch_op.create_index('ix_kb_entries_status_review', ['status', 'next_review_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_entries_topic_id'), ['topic_id'], unique=False)

    op.create_table('kb_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('helpful', sa.Boolean(), nullable=True),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.Column('created_at', dispatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_feedback_entry_id_kb_entries')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kb_feedback_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_feedback'))
    )
    with op.batch_alter_table('kb_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_feedback_entry_id'), ['entry_id'], unique=False)

    op.create_table('kb_queue_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('open', sa.Boolean(), nullable=False),
    sa.Column('created_at', dispatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_queue_items_entry_id_kb_entries')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_kb_queue_items_raised_by_id_users')),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_kb_queue_items_visit_id_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_queue_items'))
    )
    with op.batch_alter_table('kb_queue_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_queue_items_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_queue_items_open'), ['open'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_queue_items_visit_id'), ['visit_id'], unique=False)

    op.create_table('kb_terms',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_terms_entry_id_kb_entries')),
    sa.PrimaryKeyConstraint('entry_id', 'term', name=op.f('pk_kb_terms'))
    )
    with op.batch_alter_table('kb_terms', schema=None) as batch_op:
        batch_op.create_index('ix_kb_terms_term_entry', ['term', 'entry_id', 'weight'], unique=False)

    op.create_table('kb_vocabulary',
    sa.Column('term', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('term', name=op.f('pk_kb_vocabulary'))
    )
    with op.batch_alter_table('kb_vocabulary', schema=None) as batch_op:
        batch_op.create_index('ix_kb_vocabulary_term_trgm', ['term'], unique=False, postgresql_using='gin', postgresql_ops={'term': 'gin_trgm_ops'})

    op.create_table('kb_usage_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('query', sa.String(length=200), nullable=True),
    sa.Column('result_count', sa.Integer(), nullable=True),
    sa.Column('at', dispatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_usage_events_entry_id_kb_entries')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kb_usage_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_usage_events'))
    )
    with op.batch_alter_table('kb_usage_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_usage_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kb_usage_events_entry_id'), ['entry_id'], unique=False)

    op.create_table('kb_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('solution_steps', sa.JSON(), nullable=False),
    sa.Column('product_models', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('media', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', dispatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', dispatch.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.Column('created_at', dispatch.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_kb_versions_author_id_users')),
    sa.ForeignKeyConstraint(['entry_id'], ['kb_entries.id'], name=op.f('fk_kb_versions_entry_id_kb_entries')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_kb_versions_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_versions')),
    sa.UniqueConstraint('entry_id', 'number', name=op.f('uq_kb_versions_entry_id'))
    )
    with op.batch_alter_table('kb_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_versions_entry_id'), ['entry_id'], unique=False)

    if not is_sqlite:
        op.create_foreign_key(
            "fk_kb_entries_published_version",
            "kb_entries",
            "kb_versions",
            ["published_version_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_kb_entries_published_version", "kb_entries", type_="foreignkey")
    with op.batch_alter_table('kb_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_versions_entry_id'))

    op.drop_table('kb_versions')
    with op.batch_alter_table('kb_usage_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_usage_events_entry_id'))
        batch_op.drop_index(batch_op.f('ix_kb_usage_events_at'))

    op.drop_table('kb_usage_events')
    with op.batch_alter_table('kb_vocabulary', schema=None) as batch_op:
        batch_op.drop_index('ix_kb_vocabulary_term_trgm', postgresql_using='gin', postgresql_ops={'term': 'gin_trgm_ops'})

    op.drop_table('kb_vocabulary')
    with op.batch_alter_table('kb_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_kb_terms_term_entry')

    op.drop_table('kb_terms')
    with op.batch_alter_table('kb_queue_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_queue_items_visit_id'))
        batch_op.drop_index(batch_op.f('ix_kb_queue_items_open'))
        batch_op.drop_index(batch_op.f('ix_kb_queue_items_entry_id'))

    op.drop_table('kb_queue_items')
    with op.batch_alter_table('kb_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_feedback_entry_id'))

    op.drop_table('kb_feedback')
    with op.batch_alter_table('kb_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_entries_topic_id'))
        batch_op.drop_index('ix_kb_entries_status_review')
        batch_op.drop_index(batch_op.f('ix_kb_entries_source_visit_id'))

    op.drop_table('kb_entries')
    op.drop_table('kb_topics')
    op.drop_table('kb_packages')
    op.drop_table('kb_categories')
