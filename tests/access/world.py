"""Two regions with a record of every kind in each, and one login per role (issue 11).

Every role's user serves region 1 ("own"); region 2 is "other". Technicians: tech_a and tech_b
work in region 1 (tech_a is "own" technician, tech_b "other"), tech_c in region 2.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from dispatch.actors import SYSTEM
from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.followups.models import FollowUp
from dispatch.links.models import CustomerLink
from dispatch.opinions.models import Opinion
from dispatch.parts import service as parts
from dispatch.privacy.search import phone_index
from dispatch.regions.models import Region
from dispatch.returnvisits.models import ReturnVisit, ReturnVisitPlan
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from dispatch.users.rules import Role
from dispatch.webform.models import PhoneCode, WebRequest
from tests.builders import PASSWORD, SHANGHAI, login, next_workday_at, signature_b64
from tests.mobile_api.helpers import completion, now_iso

KUNSHAN = [[120.9, 31.1], [121.3, 31.1], [121.3, 31.5], [120.9, 31.5]]
PLACES = {1: (31.19, 121.44, "上海市徐汇区测试路100号"), 2: (31.3, 121.0, "昆山市前进路8号")}
TECHNICIANS = {"tech_a": 1, "tech_b": 1, "tech_c": 2}
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@dataclass
class Records:
    """The ids of one region's records."""

    customer_id: int = 0
    site_id: int = 0
    phone: str = ""
    request_id: int = 0
    visit_id: int = 0  # booked, not started: the one writes may change
    done_visit_id: int = 0  # completed by the technician, with voucher and follow-up
    voucher_id: int = 0
    followup_id: int = 0
    complaint_id: int = 0
    plan_id: int = 0
    photo_id: int = 0
    tech_complaint_id: int = 0  # taken on site by the region's technician (CMP-2)
    technician_id: int = 0
    user_id: int = 0  # a staff member serving only this region
    link_id: int = 0  # the customer link of the booked visit
    opinion_id: int = 0  # a customer's suggestion on the completed visit (FUP-11)
    return_visit_id: int = 0  # a periodic return visit of the request (FUP-9)
    attachment_id: int = 0  # a document on the request (INT-16)
    web_request_id: int = 0  # submitted on the public web form, waiting in the queue (INT-15)


@dataclass
class TwoRegions:
    region_ids: dict[int, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    technician_ids: dict[str, int] = field(default_factory=dict)
    records: dict[int, Records] = field(default_factory=dict)
    entry_id: int = 0

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def _user(session, username: str, role: str, region_ids: list[int]) -> int:
    user = users.create_user(
        session=session,
        actor=SYSTEM,
        username=username,
        password=PASSWORD,
        full_name=username,
        role=role,
        region_ids=region_ids,
    )
    session.flush()
    return user.id


def build(client, *, roles=tuple(Role)) -> TwoRegions:
    """Create both regions, a user per role serving region 1, technicians and records."""
    world = TwoRegions()
    with session_scope() as session:
        for number, (code, polygon) in {1: ("SH", SHANGHAI), 2: ("KS", KUNSHAN)}.items():
            region = Region(code=code, name=code, timezone="Asia/Shanghai", polygon=polygon)
            session.add(region)
            session.flush()
            world.region_ids[number] = region.id
        own = [world.region_ids[1]]
        for role in roles:
            if role != Role.TECHNICIAN:
                _user(session, str(role), str(role), own)
        _user(session, "admin_all", "admin", [])  # head office: builds the data of both regions
        for number in (1, 2):
            world.records[number] = Records(
                user_id=_user(session, f"leaver{number}", "dispatcher", [world.region_ids[number]])
            )
        for name, number in TECHNICIANS.items():
            region_id = world.region_ids[number]
            user_id = _user(session, name, "technician", [region_id])
            lat, lon, _ = PLACES[number]
            technician = Technician(
                user_id=user_id,
                name=name,
                phone="+8613900000000",
                region_id=region_id,
                skills={"washer": 2},
                home_lat=lat,
                home_lon=lon,
            )
            session.add(technician)
            session.flush()
            world.technician_ids[name] = technician.id
        parts.save_part(session, actor=SYSTEM, code="BELT-9", name="Belt", unit_price_cents=3500)
    for role in roles:
        if role != Role.TECHNICIAN:
            world.tokens[str(role)] = login(client, str(role))
    world.tokens["admin_all"] = login(client, "admin_all")
    for name in TECHNICIANS:
        world.tokens[name] = login(client, name, "/mobile/v1/auth/login", device_id=f"dev-{name}")
    for number, tech in ((1, "tech_a"), (2, "tech_c")):
        _records(client, world, number, tech)
    return world


def _ok(reply, status=(200, 201, 202)) -> dict:
    assert reply.status_code in status, reply.get_json()
    return reply.get_json()


def _records(client, world: TwoRegions, number: int, tech: str) -> None:
    admin, records = world.auth("admin_all"), world.records[number]
    lat, lon, address = PLACES[number]
    records.phone = f"+86138001380{number:02d}"
    customer = _ok(
        client.post(
            "/api/v1/customers",
            headers=admin,
            json={
                "name": f"客户{number}",
                "phone": records.phone,
                "language": "en",
                "consent": {"channel": "phone", "notice_version": "2026-01"},
            },
        )
    )
    records.customer_id = customer["id"]
    site = _ok(
        client.post(
            f"/api/v1/customers/{records.customer_id}/sites",
            headers=admin,
            json={"address": address, "lat": lat, "lon": lon},
        )
    )
    assert site["region_id"] == world.region_ids[number]
    records.site_id = site["id"]
    records.technician_id = world.technician_ids[tech]
    records.request_id, records.visit_id = _booked(client, world, number, tech, days_ahead=2)
    _, records.done_visit_id = _booked(client, world, number, tech, days_ahead=1)
    _complete(client, world, tech, records.done_visit_id)
    done = _ok(client.get(f"/api/v1/visits/{records.done_visit_id}", headers=admin))
    records.voucher_id = done["voucher"]["id"]
    with session_scope() as session:
        records.followup_id = session.scalar(
            select(FollowUp.id).where(FollowUp.visit_id == records.done_visit_id)
        )
    complaint = _ok(
        client.post(
            "/api/v1/complaints",
            headers=admin,
            json={
                "customer_id": records.customer_id,
                "visit_id": records.done_visit_id,
                "channel": "phone",
                "category": "service_attitude",
                "nature": "soft",
                "description": "The technician was late",
            },
        )
    )
    records.complaint_id = complaint["id"]
    plan = _ok(
        client.post(
            "/api/v1/plans",
            headers=admin,
            json={
                "region_id": world.region_ids[number],
                "day": next_workday_at(9, 3).date().isoformat(),
            },
        )
    )
    records.plan_id = plan["id"]
    photo = _ok(
        client.post(
            f"/mobile/v1/visits/{records.done_visit_id}/photos",
            headers=world.auth(tech),
            json={
                "kind": "after",
                "caption": "Fixed",
                "content_type": "image/jpeg",
                "total_size": 3000,
                "sha256": "0" * 64,
            },
        )
    )
    records.photo_id = photo["id"]
    taken = _ok(
        client.post(
            f"/mobile/v1/visits/{records.done_visit_id}/complaints",
            headers=world.auth(tech),
            json={"category": "delay", "nature": "soft", "description": "Came late"},
        )
    )
    records.tech_complaint_id = taken["id"]
    attached = _ok(
        client.post(
            f"/api/v1/requests/{records.request_id}/attachments",
            headers=admin,
            data={"file": (io.BytesIO(PNG), "nameplate.png", "image/png")},
            content_type="multipart/form-data",
        )
    )
    records.attachment_id = attached["id"]
    with session_scope() as session:
        records.link_id = session.scalar(
            select(CustomerLink.id).where(CustomerLink.visit_id == records.visit_id).limit(1)
        )
        records.web_request_id = _web_request(session, world.region_ids[number], number)
    _opinion_and_return_visit(records, number)


def _web_request(session, region_id: int, number: int) -> int:
    """A web-form request of the region, as the form leaves it after the code was confirmed."""
    now, phone = utcnow(), f"+86137001370{number:02d}"
    code = PhoneCode(
        phone_index=phone_index(phone),
        client_index="-",
        code_hash="-",
        sent_at=now,
        expires_at=now,
    )
    session.add(code)
    session.flush()
    code.use(now)
    lat, lon, address = PLACES[number]
    web_request = WebRequest(
        phone_code_id=code.id,
        fingerprint="-",
        phone=phone,
        phone_index=phone_index(phone),
        name=f"Web customer {number}",
        address=address,
        lat=lat,
        lon=lon,
        region_id=region_id,
        category="appliance",
        fault_description="Leaks water",
        language="zh-CN",
        consent_notice_version="2026-01",
        consent_at=now,
        submitted_at=now,
    )
    session.add(web_request)
    session.flush()
    return web_request.id


def _opinion_and_return_visit(records: Records, number: int) -> None:
    with session_scope() as session:
        opinion = Opinion(
            source="link",
            visit_id=records.done_visit_id,
            customer_id=records.customer_id,
            category="other",
            department="customer_service",
            text="Please call before you come",
        )
        plan = ReturnVisitPlan(product_model=f"MATRIX-{number}", interval_months=6)
        session.add_all([opinion, plan])
        session.flush()
        task = ReturnVisit(
            plan_id=plan.id,
            request_id=records.request_id,
            customer_id=records.customer_id,
            due_at=utcnow(),
        )
        session.add(task)
        session.flush()
        records.opinion_id, records.return_visit_id = opinion.id, task.id


def _booked(client, world: TwoRegions, number: int, tech: str, days_ahead: int):
    admin, records = world.auth("admin_all"), world.records[number]
    request = _ok(
        client.post(
            "/api/v1/requests",
            headers=admin,
            json={
                "customer_id": records.customer_id,
                "site_id": records.site_id,
                "request_type": "repair",
                "channel": "phone",
                "category": "appliance",
                "service_class": "C",
                "product_model": "KX-2200",
                "fault_description": "Drum does not spin",
            },
        )
    )
    start = next_workday_at(10, days_ahead)
    visit = _ok(
        client.post(
            f"/api/v1/requests/{request['id']}/visits",
            headers=admin,
            json={
                "technician_id": world.technician_ids[tech],
                "window_start": start.isoformat(),
                "window_end": (start + timedelta(hours=2)).isoformat(),
                "duration_minutes": 60,
            },
        )
    )
    return request["id"], visit["id"]


def _complete(client, world: TwoRegions, tech: str, visit_id: int) -> None:
    _ok(
        client.post(
            f"/api/v1/visits/{visit_id}/release",
            headers=world.auth("admin_all"),
            json={"reason": "Customer asked for an early visit by phone"},
        )
    )
    headers = world.auth(tech)
    number = 1 if TECHNICIANS[tech] == 1 else 2
    lat, lon, _ = PLACES[number]
    for step, extra in (("depart", {}), ("arrive", {"lat": lat, "lon": lon})):
        _ok(
            client.post(
                f"/mobile/v1/visits/{visit_id}/{step}",
                headers=headers,
                json={"device_time": now_iso()} | extra,
            )
        )
    _ok(
        client.post(
            f"/mobile/v1/visits/{visit_id}/complete",
            headers=headers,
            json=completion(fee_cents=0, signature={"signer_name": "W", "image": signature_b64()}),
        )
    )
