"""Every answer of the API tests is held to /openapi.json (tests/contract.py)."""

from tests.contract import validating_client as client  # noqa: F401  (the `client` fixture)
from tests.routing.day import day  # noqa: F401  (the planned day of the day board tests)
