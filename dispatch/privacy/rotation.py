"""Key rotation: re-encrypt every encrypted value with the newest data key and rebuild the blind
indexes with the current index key (`flask privacy rotate-key`, README "Key rotation")."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dispatch.privacy import crypto

# (table, key column, encrypted text columns, encrypted binary columns)
ENCRYPTED = (
    ("customers", "id", ("name", "phone", "email", "notes"), ()),
    ("sites", "id", ("address",), ()),
    ("voucher_signatures", "id", ("signer_name",), ("image_png",)),
    ("data_change_requests", "id", ("new_value",), ()),
)


def rotate(session: Session, ring: crypto.KeyRing | None = None) -> dict[str, int]:
    """Re-encrypt values under older key versions; return how many rows changed per table."""
    from dispatch.customers.models import Customer
    from dispatch.privacy.service import reindex

    ring = ring or crypto.keyring()
    changed: dict[str, int] = {}
    for table, key, texts, blobs in ENCRYPTED:
        columns = ", ".join((key, *texts, *blobs))
        count = 0
        for row in session.execute(text(f"SELECT {columns} FROM {table}")).mappings():
            values = {}
            for column in texts:
                stored = row[column]
                if stored is not None and ring.version_of(stored) != ring.current:
                    values[column] = ring.encrypt(ring.decrypt(stored.encode())).decode()
            for column in blobs:
                stored = bytes(row[column]) if row[column] is not None else None
                if stored and ring.version_of(stored) != ring.current:
                    values[column] = ring.encrypt(ring.decrypt(stored))
            if values:
                assignments = ", ".join(f"{c} = :{c}" for c in values)
                session.execute(
                    text(f"UPDATE {table} SET {assignments} WHERE {key} = :_key"),
                    {**values, "_key": row[key]},
                )
                count += 1
        changed[table] = count
    session.expire_all()
    for customer in session.scalars(select(Customer).order_by(Customer.id)):
        reindex(session, customer)
    return changed
