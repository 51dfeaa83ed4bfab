"""Every answer of the knowledge tests is held to /openapi.json (tests/contract.py)."""

import pytest

from tests.contract import validating_client as client  # noqa: F401  (the `client` fixture)
from tests.knowledge.helpers import add_kb_people, make_topic


@pytest.fixture
def kb(app, world):
    """The world with the knowledge roles logged in; returns a topic id."""
    checked = app.test_client()
    add_kb_people(checked, world)
    return make_topic(checked, world)
