"""Fixtures of the booking tests."""

from tests.booking.morning import morning  # noqa: F401  (the morning fixture)
