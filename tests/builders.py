"""Arrange test data through the services and log people in over HTTP."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from dataclasses import dataclass, field

from dispatch.actors import SYSTEM
from dispatch.db import session_scope
from dispatch.parts import service as parts
from dispatch.regions.models import Region
from dispatch.technicians.models import Technician
from dispatch.users import service as users

PASSWORD = "correct-horse-battery"
SHANGHAI = [[121.30, 31.10], [121.68, 31.10], [121.68, 31.36], [121.30, 31.36]]


@dataclass
class World:
    region_id: int
    tokens: dict[str, str] = field(default_factory=dict)
    technician_ids: dict[str, int] = field(default_factory=dict)
    customer_id: int | None = None
    site_id: int | None = None

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def login(client, username: str, path: str = "/api/v1/auth/login", **extra) -> str:
    response = client.post(path, json={"username": username, "password": PASSWORD, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access_token"]


def build_world(client) -> World:
    with session_scope() as session:
        region = Region(code="SH", name="Shanghai", timezone="Asia/Shanghai", polygon=SHANGHAI)
        session.add(region)
        session.flush()
        for role in ("admin", "dispatcher", "manager", "quality"):
            users.create_user(
                session=session,
                actor=SYSTEM,
                username=role,
                password=PASSWORD,
                full_name=role.title(),
                role=role,
                region_ids=[region.id],
            )
        technician_ids = {}
        for name in ("tech_a", "tech_b"):
            user = users.create_user(
                session=session,
                actor=SYSTEM,
                username=name,
                password=PASSWORD,
                full_name=name,
                role="technician",
                region_ids=[region.id],
            )
            technician = Technician(
                user_id=user.id,
                name=f"Tech {name[-1].upper()}",
                phone="+8613900000000",
                region_id=region.id,
                skills={"washer": 2},
                home_lat=31.2,
                home_lon=121.45,
            )
            session.add(technician)
            session.flush()
            technician_ids[name] = technician.id
        world = World(region_id=region.id, technician_ids=technician_ids)
        parts.save_part(
            session, actor=SYSTEM, code="BELT-9", name="Drive belt", unit_price_cents=3500
        )
    for who in ("admin", "dispatcher", "manager", "quality"):
        world.tokens[who] = login(client, who)
    for who in ("tech_a", "tech_b"):
        world.tokens[who] = login(client, who, "/mobile/v1/auth/login", device_id=f"dev-{who}")
    customer = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={
            "name": "测试客户",
            "phone": "138 0013 8000",
            "language": "en",
            "consent": {"channel": "phone", "notice_version": "2026-01"},
        },
    )
    assert customer.status_code == 201, customer.get_json()
    world.customer_id = customer.get_json()["id"]
    site = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "上海市徐汇区测试路100号", "lat": 31.19, "lon": 121.44},
    )
    assert site.status_code == 201, site.get_json()
    world.site_id = site.get_json()["id"]
    return world


def repair_body(world: World, **overrides) -> dict:
    """Return a valid repair request body for the world's customer."""
    return {
        "customer_id": world.customer_id,
        "site_id": world.site_id,
        "request_type": "repair",
        "channel": "phone",
        "category": "appliance",
        "service_class": "A",
        "product_model": "KX-2200",
        "fault_description": "Drum does not spin",
    } | overrides


def repair_request(client, world: World, **overrides) -> dict:
    """Register a repair request over HTTP and return it."""
    response = client.post(
        "/api/v1/requests", headers=world.auth("dispatcher"), json=repair_body(world, **overrides)
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def png_bytes(width: int = 8, height: int = 4) -> bytes:
    """Return a small, valid PNG (a signature stand-in)."""
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def signature_b64() -> str:
    return base64.b64encode(png_bytes()).decode()


def next_workday_at(hour: int, days_ahead: int = 1):
    """Return hour:00 Shanghai time on the first weekday at least `days_ahead` days from now."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Shanghai")
    day = datetime.now(zone).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def book_visit(
    client,
    world: World,
    tech: str = "tech_a",
    start=None,
    hours: int = 2,
    minutes: int = 60,
    released: bool = True,
) -> dict:
    """Register a repair request and book it with a technician; return the visit.

    The visit lies on a later day and is not confirmed, so by default the dispatcher releases it
    for the technician's tests; `released=False` leaves it as booked.
    """
    from datetime import timedelta

    start = start or next_workday_at(10)
    request = repair_request(client, world)
    response = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids[tech],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=hours)).isoformat(),
            "duration_minutes": minutes,
        },
    )
    assert response.status_code == 201, response.get_json()
    if released:
        release_visit(client, world, response.get_json()["id"])
    return response.get_json()


def release_visit(client, world: World, visit_id: int) -> dict:
    """Let the technician set off now although the visit is unconfirmed or due another day."""
    response = client.post(
        f"/api/v1/visits/{visit_id}/release",
        headers=world.auth("dispatcher"),
        json={"reason": "Customer asked for an early visit by phone"},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def sms_link_token(body: str) -> str:
    """Return the link token inside an SMS text."""
    import re

    return re.search(r"/l/(\S+)", body).group(1)
