"""Periodic return visits (定期回访) per service class or product (FUP-9)."""
