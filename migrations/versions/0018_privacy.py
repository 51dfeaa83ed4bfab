"""privacy: personal fields encrypted at rest, blind indexes, consents, the append-only access log,
disclosures, rights requests and technicians' location consent (issue 11, PRV-*)

Existing rows are encrypted with the active configuration's newest data key on the way up and
decrypted on the way down. On PostgreSQL a trigger makes personal_data_access append-only.

Revision ID: 0018_privacy
Revises: 0014_visit_parts
Create Date: 2026-12-04 21:00:00
"""

import sqlalchemy as sa
from alembic import op

import dispatch.db

revision = "0018_privacy"
down_revision = "0018_reports"
branch_labels = None
depends_on = None

WHEN = dispatch.db.UTCDateTime(timezone=True)

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION personal_data_access_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'personal_data_access is append-only (PRV-5): % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER personal_data_access_append_only
    BEFORE UPDATE OR DELETE ON personal_data_access
    FOR EACH ROW EXECUTE FUNCTION personal_data_access_append_only();
"""


def _encrypt_existing(bind, up: bool) -> None:
    from dispatch.privacy import crypto, search

    ring = crypto.keyring()

    def enc(value):
        return None if value is None else ring.encrypt(value.encode()).decode()

    def dec(value):
        return None if value is None else ring.decrypt(value.encode()).decode()

    change = enc if up else dec
    customers = bind.execute(sa.text("SELECT id, name, phone, email, notes FROM customers")).all()
    sites = bind.execute(sa.text("SELECT id, customer_id, address FROM sites")).all()
    for site in sites:
        bind.execute(
            sa.text("UPDATE sites SET address = :a WHERE id = :i"),
            {"a": change(site.address), "i": site.id},
        )
    for row in customers:
        values = {"i": row.id, **{k: change(getattr(row, k)) for k in ("name", "phone", "email", "notes")}}
        if up:
            values["x"] = search.phone_index(row.phone, ring)
            bind.execute(
                sa.text(
                    "UPDATE customers SET name=:name, phone=:phone, email=:email, notes=:notes, "
                    "phone_index=:x WHERE id=:i"
                ),
                values,
            )
            addresses = [s.address for s in sites if s.customer_id == row.id]
            for term in search.customer_terms(row.name, row.phone, addresses, ring):
                bind.execute(
                    sa.text("INSERT INTO customer_search_terms (customer_id, term) VALUES (:c, :t)"),
                    {"c": row.id, "t": term},
                )
        else:
            bind.execute(
                sa.text(
                    "UPDATE customers SET name=:name, phone=:phone, email=:email, notes=:notes "
                    "WHERE id=:i"
                ),
                values,
            )
    signatures = bind.execute(
        sa.text("SELECT id, signer_name, image_png FROM voucher_signatures")
    ).all()
    for sig in signatures:
        image = ring.encrypt(bytes(sig.image_png)) if up else ring.decrypt(bytes(sig.image_png))
        bind.execute(
            sa.text("UPDATE voucher_signatures SET signer_name=:n, image_png=:p WHERE id=:i"),
            {"n": change(sig.signer_name), "p": image, "i": sig.id},
        )


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("customers") as batch:
        batch.drop_index("ix_customers_phone")
        batch.alter_column("name", type_=sa.Text(), existing_nullable=False)
        batch.alter_column("phone", type_=sa.Text(), existing_nullable=False)
        batch.alter_column("email", type_=sa.Text(), existing_nullable=True)
        batch.add_column(sa.Column("phone_index", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("anonymised_at", WHEN, nullable=True))
    with op.batch_alter_table("sites") as batch:
        batch.alter_column("address", type_=sa.Text(), existing_nullable=False)
    with op.batch_alter_table("voucher_signatures") as batch:
        batch.alter_column("signer_name", type_=sa.Text(), existing_nullable=False)

    op.create_table(
        "customer_search_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"],
            name="fk_customer_search_terms_customer_id_customers",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_customer_search_terms"),
    )
    op.create_index(
        "ix_customer_search_terms_customer_id", "customer_search_terms", ["customer_id"]
    )
    op.create_index(
        "ix_customer_search_terms_term", "customer_search_terms", ["term", "customer_id"]
    )
    _encrypt_existing(bind, up=True)
    with op.batch_alter_table("customers") as batch:
        batch.alter_column("phone_index", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("ix_customers_phone_index", ["phone_index"])

    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("scope", sa.String(length=500), nullable=False),
        sa.Column("manner", sa.String(length=500), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("notice_version", sa.String(length=16), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("recorded_by_kind", sa.String(length=16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_consent_records_customer_id_customers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consent_records"),
    )
    op.create_index("ix_consent_records_customer_id", "consent_records", ["customer_id"])
    # Every customer of before gave the consent its columns recorded (PRV-1).
    op.execute(
        "INSERT INTO consent_records (customer_id, purposes, scope, manner, channel, "
        "notice_version, given, recorded_at, recorded_by_kind) "
        "SELECT id, '[\"service\"]', 'name, phone, service address, products and service "
        "history', 'stored encrypted; used to book, carry out and follow up service requests', "
        "consent_channel, consent_notice_version, "
        + ("true" if bind.dialect.name == "postgresql" else "1")
        + ", consent_at, 'system' FROM customers"
    )

    op.create_table(
        "personal_data_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("record", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_personal_data_access"),
    )
    op.create_index(
        "ix_personal_data_access_customer", "personal_data_access", ["customer_id", "id"]
    )
    if bind.dialect.name == "postgresql":
        op.execute(APPEND_ONLY)

    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("processor", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_disclosures"),
    )
    op.create_index("ix_disclosures_processor", "disclosures", ["processor"])
    op.create_index("ix_disclosures_customer_id", "disclosures", ["customer_id"])

    op.create_table(
        "data_change_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_data_change_requests_customer_id_customers"
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name="fk_data_change_requests_site_id_sites"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name="fk_data_change_requests_decided_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_data_change_requests"),
    )
    op.create_index("ix_data_change_requests_customer_id", "data_change_requests", ["customer_id"])

    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("held_reason", sa.String(length=200), nullable=True),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("done_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_erasure_requests_customer_id_customers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_erasure_requests"),
    )
    op.create_index("ix_erasure_requests_customer_id", "erasure_requests", ["customer_id"])

    op.create_table(
        "location_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("given", sa.Boolean(), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"], ["technicians.id"],
            name="fk_location_consents_technician_id_technicians",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_location_consents"),
    )
    op.create_index("ix_location_consents_technician_id", "location_consents", ["technician_id"])
    op.create_table(
        "technician_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("taken_at", WHEN, nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"], ["technicians.id"],
            name="fk_technician_positions_technician_id_technicians",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name="fk_technician_positions_visit_id_visits"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_technician_positions"),
    )
    op.create_index(
        "ix_technician_positions_technician_id", "technician_positions", ["technician_id"]
    )


def downgrade() -> None:
    bind = op.get_bind()
    for table in ("technician_positions", "location_consents", "erasure_requests"):
        op.drop_table(table)
    op.drop_table("data_change_requests")
    op.drop_table("disclosures")
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER personal_data_access_append_only ON personal_data_access")
        op.execute("DROP FUNCTION personal_data_access_append_only()")
    op.drop_table("personal_data_access")
    op.drop_table("consent_records")
    _encrypt_existing(bind, up=False)
    op.drop_table("customer_search_terms")
    with op.batch_alter_table("voucher_signatures") as batch:
        batch.alter_column("signer_name", type_=sa.String(length=120), existing_nullable=False)
    with op.batch_alter_table("sites") as batch:
        batch.alter_column("address", type_=sa.String(length=300), existing_nullable=False)
    with op.batch_alter_table("customers") as batch:
        batch.drop_index("ix_customers_phone_index")
        batch.drop_column("anonymised_at")
        batch.drop_column("phone_index")
        batch.alter_column("email", type_=sa.String(length=254), existing_nullable=True)
        batch.alter_column("phone", type_=sa.String(length=20), existing_nullable=False)
        batch.alter_column("name", type_=sa.String(length=120), existing_nullable=False)
        batch.create_index("ix_customers_phone", ["phone"])
