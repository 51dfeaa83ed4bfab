"""Every answer of the report tests is held to /openapi.json (tests/contract.py)."""

from tests.contract import validating_client as client  # noqa: F401  (the `client` fixture)
