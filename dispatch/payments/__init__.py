"""Class-A fees: on-site collection up to a cap, finance invoices above it (VCH-13, VCH-14)."""
