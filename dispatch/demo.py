"""Demo data: one city (Shanghai) with two regions, 10 technicians, 50 customers, requests.

Names and phone numbers are generated; none belongs to a real person (PRV-15).
"""

from __future__ import annotations

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import SYSTEM, Actor
from dispatch.booking import rules as booking_rules
from dispatch.booking import service as booking
from dispatch.clock import utcnow
from dispatch.config import Config
from dispatch.customers import service as customers
from dispatch.customers.geocoding import FakeGeocoder
from dispatch.intake import rules as intake_rules
from dispatch.intake import service as intake
from dispatch.parts import service as parts
from dispatch.regions.models import Region
from dispatch.schedule import service as schedule
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from dispatch.users.models import User

# West and east of the Huangpu river, as [lon, lat] rings.
REGIONS = [
    ("SH-PUXI", "上海浦西", [[121.30, 31.10], [121.49, 31.10], [121.49, 31.36], [121.30, 31.36]]),
    ("SH-PUDONG", "上海浦东", [[121.49, 31.10], [121.68, 31.10], [121.68, 31.36], [121.49, 31.36]]),
]
DISTRICTS = {"SH-PUXI": ["徐汇区", "静安区", "长宁区", "普陀区"], "SH-PUDONG": ["浦东新区"]}
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚"
SKILLS = ["washer", "fridge", "aircon", "heater", "dishwasher"]
MODELS = ["KX-2200 洗衣机", "FR-450 冰箱", "AC-35 空调", "WH-60 热水器", "DW-12 洗碗机"]
FAULTS = ["不制冷", "漏水", "无法开机", "噪音大", "显示错误代码 E4", "加热慢"]
DEMO_PASSWORD = "demo-pass-123"
# The parts catalogue: (code, name, price in cents).
PARTS = [
    ("BELT-9", "洗衣机传动皮带 Drive belt", 3500),
    ("PUMP-3", "排水泵 Drain pump", 12000),
    ("SEAL-1", "门封圈 Door seal", 6800),
    ("MOTOR-W2", "洗衣机电机 Washer motor", 42000),
    ("VALVE-IN", "进水阀 Inlet valve", 4500),
    ("HOSE-D15", "排水管 1.5 m Drain hose", 2500),
    ("COMP-R1", "冰箱压缩机 Compressor", 68000),
    ("THERM-R", "温控器 Thermostat", 5200),
    ("GAS-R600", "冷媒 R600a 补充 Refrigerant refill", 15000),
    ("CAP-AC35", "空调启动电容 Start capacitor", 3800),
    ("FAN-AC", "室外风扇电机 Outdoor fan motor", 26000),
    ("ELEM-WH", "热水器加热管 Heating element", 9500),
    ("ANODE-MG", "镁棒 Magnesium anode", 4800),
    ("PCB-DW12", "洗碗机主板 Control board", 36000),
    ("FUSE-T5", "保险丝 T5A Fuse", 300),
]


def load(session: Session, config: Config, seed: int = 7) -> dict:
    """Create the demo data once; return what exists."""
    if session.scalars(select(User).where(User.username == "admin")).first():
        return {"created": False}
    rng = random.Random(seed)
    regions = [
        Region(code=c, name=n, timezone=config.default_timezone, polygon=p) for c, n, p in REGIONS
    ]
    session.add_all(regions)
    session.flush()
    admin = users.create_user(
        session=session,
        actor=SYSTEM,
        username="admin",
        password=DEMO_PASSWORD,
        full_name="系统管理员",
        role="admin",
    )
    users.create_user(
        session=session,
        actor=SYSTEM,
        username="manager",
        password=DEMO_PASSWORD,
        full_name="服务经理",
        role="manager",
        region_ids=[r.id for r in regions],
    )
    dispatcher = users.create_user(
        session=session,
        actor=SYSTEM,
        username="dispatcher",
        password=DEMO_PASSWORD,
        full_name="调度员",
        role="dispatcher",
        region_ids=[r.id for r in regions],
    )
    technicians = [_technician(session, rng, i, regions[i % 2]) for i in range(10)]
    for code, name, cents in PARTS:
        parts.save_part(session, actor=SYSTEM, code=code, name=name, unit_price_cents=cents)
    actor = Actor(
        kind="user", id=dispatcher.id, role="dispatcher", region_ids=tuple(dispatcher.region_ids)
    )
    requests = [_customer_with_request(session, rng, actor, config, i) for i in range(50)]
    booked = _book_some(session, rng, actor, config, requests, technicians)
    for_planner = _leave_to_planner(session, rng, actor, config, requests[20:35])
    knowledge_entries = _knowledge(session)
    return {
        "created": True,
        "admin_id": admin.id,
        "technicians": len(technicians),
        "requests": len(requests),
        "visits": booked,
        "to_plan": for_planner,
        "parts": len(PARTS),
        "knowledge_entries": knowledge_entries,
    }


def _name(rng: random.Random) -> str:
    return rng.choice(FAMILY) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _technician(session, rng, index: int, region: Region) -> Technician:
    user = users.create_user(
        session=session,
        actor=SYSTEM,
        username=f"tech{index + 1:02d}",
        password=DEMO_PASSWORD,
        full_name=_name(rng),
        role="technician",
        region_ids=[region.id],
    )
    (lon0, lat0), (lon1, lat1) = region.polygon[0], region.polygon[2]
    technician = Technician(
        user_id=user.id,
        name=user.full_name,
        phone=f"+86139{index + 10:02d}00{index:04d}",
        region_id=region.id,
        home_lat=rng.uniform(lat0, lat1),
        home_lon=rng.uniform(lon0, lon1),
        skills={s: rng.randint(1, 3) for s in rng.sample(SKILLS, 3)},
    )
    session.add(technician)
    session.flush()
    return technician


def _customer_with_request(session, rng, actor, config, index: int):
    customer = customers.create_customer(
        session=session,
        actor=actor,
        phone_region="CN",
        name=_name(rng),
        phone=f"1380013{index:04d}",
        consent={"channel": "phone", "notice_version": "2026-01"},
        language="zh-CN" if index % 5 else "en",
    )
    code = rng.choice(list(DISTRICTS))
    address = f"上海市{rng.choice(DISTRICTS[code])}演示路{rng.randint(1, 999)}号"
    (lon0, lat0), (lon1, lat1) = dict((c, p) for c, _, p in REGIONS)[code][0::2]
    site = customers.add_site(
        session=session,
        actor=actor,
        geocoder=FakeGeocoder(),
        customer_id=customer.id,
        address=address,
        lat=rng.uniform(lat0, lat1),
        lon=rng.uniform(lon0, lon1),
    )
    model = rng.choice(MODELS)
    asset = customers.add_asset(
        session=session,
        actor=actor,
        customer_id=customer.id,
        model=model,
        serial=f"SN{rng.randint(10**7, 10**8)}",
        site_id=site.id,
    )
    return intake.register_request(
        session=session,
        actor=actor,
        timezone=config.default_timezone,
        customer_id=customer.id,
        site_id=site.id,
        asset_id=asset.id,
        request_type="repair",
        channel=rng.choice(intake_rules.CHANNELS[:5]),
        category="appliance",
        service_class=rng.choice(intake_rules.SERVICE_CLASSES[:3]),
        priority=rng.choice(intake_rules.PRIORITIES),
        product_model=model,
        fault_description=rng.choice(FAULTS),
    )


def _book_some(session, rng, actor, config, requests, technicians) -> int:
    """Book the next workday through the technicians' days: only windows slot search offers."""
    tz = ZoneInfo(config.default_timezone)
    tomorrow = _workday_after(utcnow().astimezone(tz).date())
    booked = 0
    load = {t.id: 0 for t in technicians}
    for request in requests[:20]:
        candidates = [t for t in technicians if t.region_id == request.site.region_id]
        technician = min(candidates, key=lambda t: load[t.id])
        need = schedule.Need(site=request.site, minutes=60, technician_id=technician.id)
        days_ahead = (tomorrow - utcnow().astimezone(tz).date()).days + 1
        offered = [
            p
            for p in schedule.free_windows(session, config=config, need=need, days=days_ahead)
            if p.window_start.astimezone(tz).date() == tomorrow
        ]
        if not offered:
            continue
        booking.book(
            session=session,
            actor=actor,
            config=config,
            request_id=request.id,
            technician_id=technician.id,
            window_start=offered[0].window_start,
            window_end=offered[0].window_end,
            duration_minutes=60,
        )
        load[technician.id] += 1
        booked += 1
    return booked


def _leave_to_planner(session, rng, actor, config, requests) -> int:
    """Book windows the day after tomorrow with no technician: POST /api/v1/plans assigns them."""
    tz = config.default_timezone
    day = _workday_after(_workday_after(utcnow().astimezone(ZoneInfo(tz)).date()))
    windows = booking_rules.candidate_windows(
        day,
        tz,
        config.contact_window_start,
        config.contact_window_end,
        config.appointment_window_minutes,
    )
    for request in requests:
        start, end = rng.choice(windows)
        booking.book(
            session=session,
            actor=actor,
            config=config,
            request_id=request.id,
            window_start=start,
            window_end=end,
            duration_minutes=rng.choice([45, 60, 90]),
            required_skill=rng.choice(SKILLS),
            required_level=1,
            auto_assign=False,
        )
    return len(requests)


def _workday_after(day):
    """Return the next Monday-to-Friday date after `day` (technicians' default hours)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _knowledge(session: Session) -> int:
    """Publish the demo knowledge entries (issue 13; dispatch/knowledge/data/entries.tsv)."""
    from dispatch.knowledge import seed
    from dispatch.knowledge.segment import Segmenter

    return seed.load(session, cut=Segmenter().cut)
