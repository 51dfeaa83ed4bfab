"""Console page tests use the planned day of the routing tests."""

from tests.routing.day import day  # noqa: F401  (the planned-day fixture)
