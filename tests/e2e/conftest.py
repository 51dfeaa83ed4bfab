"""Every answer of the end-to-end tests is held to /openapi.json (tests/contract.py)."""

import pytest

from tests.contract import contract_client


@pytest.fixture
def client(app):
    return contract_client(app)
