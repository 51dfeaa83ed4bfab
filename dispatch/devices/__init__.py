"""Technicians' devices: one login session per phone, revocable."""
