import pytest

from tests.complaints.helpers import governed_world


@pytest.fixture
def gworld(app, client):
    """The usual world plus one user per complaint-governance role, all logged in."""
    return governed_world(client)
