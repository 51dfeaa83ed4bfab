"""Tuesday 2026-12-01 07:00 in Shanghai: the world before a working day."""

import pytest
import time_machine

from tests.builders import build_world, repair_request
from tests.routing.day import local


@pytest.fixture
def morning(client):
    """The world at 07:00 on Tuesday 2026-12-01 (Shanghai), clock running."""
    with time_machine.travel(local(7), tick=True) as clock:
        world = build_world(client)
        world.clock = clock
        yield world


def book(client, world, start, end, **extra):
    request = repair_request(client, world)
    return client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={"window_start": start.isoformat(), "window_end": end.isoformat(), **extra},
    )
