"""Regions domain."""
