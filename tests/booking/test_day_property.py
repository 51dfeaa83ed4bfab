"""Property (issue 10 §1): every window slot search lists is bookable at once, and stays so
after each booking, cancel, completion, reschedule and no-show, on random days, on PostgreSQL.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.actors import SYSTEM, Actor, customer_actor
from dispatch.booking import service as booking
from dispatch.clock import utcnow
from dispatch.customers import service as customers
from dispatch.customers.geocoding import FakeGeocoder
from dispatch.db import db
from dispatch.intake import service as intake
from dispatch.models import Visit
from dispatch.regions.models import Region
from dispatch.schedule import days
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from dispatch.visits import fieldwork
from dispatch.visits import service as visits
from dispatch.visits.rules import VisitStatus
from tests.booking.test_technician_day import assert_every_listed_window_books
from tests.builders import PASSWORD, SHANGHAI, png_bytes
from tests.conftest import _clean
from tests.mobile_api.helpers import RECORD

SH = ZoneInfo("Asia/Shanghai")
# Tuesday, Thursday, Friday (the weekend follows) and Saturday, early and mid-morning.
MORNINGS = [datetime(2026, 12, d, h, tzinfo=SH) for d in (1, 3, 4, 5) for h in (7, 10)]
EVENTS = ("book", "book", "book", "cancel", "start", "complete", "reschedule", "no_show", "later")

places = st.tuples(st.floats(31.12, 31.34), st.floats(121.32, 121.66))
events = st.lists(
    st.tuples(st.sampled_from(EVENTS), st.integers(0, 99), st.sampled_from([45, 60, 90, 120])),
    min_size=2,
    max_size=6,
)


def _arrange(session: Session, homes, sites) -> dict:
    region = Region(code="SH", name="Shanghai", timezone="Asia/Shanghai", polygon=SHANGHAI)
    session.add(region)
    session.flush()
    staff = users.create_user(
        session=session,
        actor=SYSTEM,
        username="dispatcher",
        password=PASSWORD,
        full_name="Dispatcher",
        role="dispatcher",
        region_ids=[region.id],
    )
    phones = []
    for i, (lat, lon) in enumerate(homes):
        user = users.create_user(
            session=session,
            actor=SYSTEM,
            username=f"tech{i}",
            password=PASSWORD,
            full_name=f"Tech {i}",
            role="technician",
            region_ids=[region.id],
        )
        tech = Technician(
            user_id=user.id,
            name=f"Tech {i}",
            phone="+8613900000000",
            region_id=region.id,
            skills={"washer": 2},
            home_lat=lat,
            home_lon=lon,
        )
        session.add(tech)
        session.flush()
        phones.append(Actor(kind="user", id=user.id, role="technician", technician_id=tech.id))
    dispatcher = Actor(kind="user", id=staff.id, role="dispatcher", region_ids=(region.id,))
    customer = customers.create_customer(
        session=session,
        actor=dispatcher,
        phone_region="CN",
        name="测试客户",
        phone="13800138000",
        consent={"channel": "phone", "notice_version": "2026-01"},
        language="en",
    )
    site_ids = [
        customers.add_site(
            session=session,
            actor=dispatcher,
            geocoder=FakeGeocoder(),
            customer_id=customer.id,
            address=f"上海市测试路{i}号",
            lat=lat,
            lon=lon,
        ).id
        for i, (lat, lon) in enumerate(sites)
    ]
    return {"dispatcher": dispatcher, "phones": phones, "customer": customer, "sites": site_ids}


def _request(session: Session, world: dict, site_id: int):
    return intake.register_request(
        session=session,
        actor=world["dispatcher"],
        timezone="Asia/Shanghai",
        customer_id=world["customer"].id,
        site_id=site_id,
        request_type="repair",
        channel="phone",
        category="appliance",
        service_class="A",
        priority="medium",
        product_model="KX-2200",
        fault_description="Drum does not spin",
    )


def _scheduled(session: Session) -> list[Visit]:
    return list(
        session.scalars(
            select(Visit).where(Visit.status == VisitStatus.SCHEDULED).order_by(Visit.id)
        )
    )


def _start(session, config, world, visit: Visit) -> Actor:
    """Confirm, set off and arrive: the visit is under way and keeps holding its time."""
    phone = next(p for p in world["phones"] if p.technician_id == visit.technician_id)
    booking.confirm_by_customer(
        session=session, actor=customer_actor(world["customer"].id), visit=visit, config=config
    )
    # The random clock may sit on another day than the window: the dispatcher lets them go.
    visits.release(
        session=session, actor=world["dispatcher"], visit_id=visit.id, reason="Start early"
    )
    for step in ("depart", "arrive"):
        getattr(fieldwork, step)(
            session=session, actor=phone, config=config, visit_id=visit.id, device_time=utcnow()
        )
    return phone


def _complete(session, config, world, visit: Visit) -> None:
    phone = _start(session, config, world, visit)
    fieldwork.complete(
        session=session,
        actor=phone,
        config=config,
        visit_id=visit.id,
        device_time=utcnow(),
        service_content="Replaced the drive belt",
        signature={"signer_name": "Wang", "image": png_bytes()},
        **RECORD,
    )


def _apply(session, config, world, clock, event) -> None:
    kind, pick, minutes = event
    actor = world["dispatcher"]
    visits = _scheduled(session)
    if kind == "book":
        request = _request(session, world, world["sites"][pick % len(world["sites"])])
        offered = booking.slots_for_request(
            session=session,
            actor=SYSTEM,
            config=config,
            request_id=request.id,
            days=3,
            duration_minutes=minutes,
        )
        if offered:
            slot = offered[pick % len(offered)]
            booking.book(  # an offered window books: the property itself
                session=session,
                actor=actor,
                config=config,
                request_id=request.id,
                window_start=slot.window_start,
                window_end=slot.window_end,
                duration_minutes=minutes,
                technician_id=slot.technician_id if pick % 2 else None,
            )
    elif kind == "later":
        clock.shift(timedelta(minutes=30 + pick * 3))
    elif visits:
        visit = visits[pick % len(visits)]
        if kind == "cancel":
            booking.cancel(session=session, actor=actor, config=config, visit=visit, reason="no")
        elif kind == "no_show":
            booking.no_show(session=session, actor=actor, config=config, visit=visit, reason="no")
        elif kind == "complete" and visit.technician_id is not None:
            _complete(session, config, world, visit)
        elif kind == "start" and visit.technician_id is not None:
            _start(session, config, world, visit)
        elif kind == "reschedule":
            offered = booking.slots_for_visit(session, config, visit, days=3)
            if offered:
                slot = offered[pick % len(offered)]
                booking.reschedule(
                    session=session,
                    actor=actor,
                    config=config,
                    visit=visit,
                    window_start=slot.window_start,
                    window_end=slot.window_end,
                )
    session.commit()


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # a failure reports at once; shrinking takes minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    morning=st.sampled_from(MORNINGS),
    homes=st.lists(places, min_size=1, max_size=2),
    sites=st.lists(places, min_size=1, max_size=3),
    history=events,
)
@pytest.mark.parametrize("kept", [False, True], ids=["built", "kept"])
def test_apt_every_listed_window_stays_bookable_through_any_day(
    app, config, kept, morning, homes, sites, history
):
    """`kept`: inside the app, so region-days are kept and refreshed after every change (issue
    16 §3), as the API serves them; else each day is built afresh."""
    _clean(app, config)
    days.kept_days(app).clear()
    served = app.app_context() if kept else contextlib.nullcontext()
    with (
        served,
        time_machine.travel(morning, tick=False) as clock,
        Session(bind=db.engine) as session,
    ):
        world = _arrange(session, homes, sites)
        probe = _request(session, world, world["sites"][0])
        session.commit()
        assert_every_listed_window_books(session, config, probe.id, days=3)
        for event in history:
            _apply(session, config, world, clock, event)
            assert_every_listed_window_books(session, config, probe.id, days=3)
