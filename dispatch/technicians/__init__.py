"""Technicians domain."""
