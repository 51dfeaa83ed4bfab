"""A planned day in Shanghai: technicians, sites and visits waiting for the planner."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.builders import build_world, repair_request

SH = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 1, tzinfo=SH)  # a Tuesday
KUNSHAN = [[120.9, 31.1], [121.3, 31.1], [121.3, 31.5], [120.9, 31.5]]  # west of Shanghai


def local(hour: int, minute: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute)


@pytest.fixture
def day(client, session):
    """The world on the morning of the planned day, with a fridge technician added."""
    with time_machine.travel(local(7), tick=True) as clock:
        world = build_world(client)
        response = client.post(
            "/api/v1/technicians",
            headers=world.auth("manager"),
            json={
                "username": "tech_c",
                "password": "long-password",
                "name": "Tech C",
                "phone": "13900000003",
                "region_id": world.region_id,
                "home_lat": 31.25,
                "home_lon": 121.50,
                "skills": {"fridge": 3, "washer": 1},
            },
        )
        assert response.status_code == 201, response.get_json()
        world.technician_ids["tech_c"] = response.get_json()["id"]
        world.clock = clock
        yield world


def visit_at(client, world, lat, lon, start_h, end_h, skill="washer", level=1, minutes=60):
    site = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": f"Site {lat},{lon}", "lat": lat, "lon": lon},
    ).get_json()
    request = repair_request(client, world, site_id=site["id"])
    response = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "window_start": local(start_h).isoformat(),
            "window_end": local(end_h).isoformat(),
            "duration_minutes": minutes,
            "required_skill": skill,
            "required_level": level,
            "auto_assign": False,
        },
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def plan(client, world, run_worker, **extra) -> dict:
    response = client.post(
        "/api/v1/plans",
        headers=world.auth("dispatcher"),
        json={"region_id": world.region_id, "day": "2026-12-01", "time_limit_s": 1, **extra},
    )
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["status"] == "queued"
    run_worker()
    result = client.get(
        f"/api/v1/plans/{response.get_json()['id']}", headers=world.auth("dispatcher")
    ).get_json()
    assert result["status"] == "ready", result
    return result
