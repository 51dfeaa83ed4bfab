"""Privacy tests: answers held to /openapi.json; a privacy officer beside the usual world."""

import pytest

from dispatch.actors import SYSTEM
from dispatch.db import session_scope
from dispatch.users import service as users
from tests.builders import PASSWORD, login
from tests.contract import validating_client as client  # noqa: F401  (the `client` fixture)


@pytest.fixture
def officer(client, world):  # noqa: F811  (the contract client above)
    """A privacy officer of the world's region, logged in (token in world.tokens)."""
    with session_scope() as session:
        users.create_user(
            session=session,
            actor=SYSTEM,
            username="officer",
            password=PASSWORD,
            full_name="Officer",
            role="privacy_officer",
            region_ids=[world.region_id],
        )
    world.tokens["officer"] = login(client, "officer")
    return world.auth("officer")
