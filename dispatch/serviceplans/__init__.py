"""Service plans proposed at intake and agreed by the customer (INT-12)."""
