"""Vouchers domain."""
