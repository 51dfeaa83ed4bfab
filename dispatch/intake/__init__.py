"""Intake domain."""
