"""Quotes before class-A work: the fee table, findings, fault cause, warranty and the charges
the customer accepts (VCH-3, VCH-4, VCH-15)."""
