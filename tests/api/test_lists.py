"""The dispatcher's lists and search (issue 12): keyset pages of one shape, filters, region
scoping in the services, a constant number of SQL statements per page, unknown query
parameters refused, customer links with resend, and the technician's day by date.

Every answer here is held to /openapi.json by the validating client of tests/api/conftest.py.
"""

from __future__ import annotations

import base64
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from dispatch.actors import SYSTEM
from dispatch.audit import AuditEntry
from dispatch.db import db, session_scope
from dispatch.links.models import CustomerLink
from dispatch.notifications.models import SmsMessage
from dispatch.regions.models import Region
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from tests.builders import PASSWORD, World, login, next_workday_at, repair_request

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEIJING_AREA = [[116.20, 39.80], [116.60, 39.80], [116.60, 40.10], [116.20, 40.10]]
PAGE_KEYS = {"items", "page"}


@contextmanager
def counted(app):
    """Count the SQL statements run inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def statements_for(app, client, path: str, headers: dict) -> int:
    with counted(app) as statements:
        reply = client.get(path, headers=headers)
    assert reply.status_code == 200, reply.get_json()
    return len(statements)


def every_page(client, path: str, headers: dict, limit: int) -> list[list[dict]]:
    """Follow next_cursor from the first page to the last; return the pages' items."""
    pages, cursor = [], None
    joiner = "&" if "?" in path else "?"
    while True:
        url = f"{path}{joiner}limit={limit}" + (f"&after={cursor}" if cursor else "")
        reply = client.get(url, headers=headers)
        assert reply.status_code == 200, reply.get_json()
        body = reply.get_json()
        assert set(body) == PAGE_KEYS
        pages.append(body["items"])
        cursor = body["page"]["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50


def book(client, world: World, start: datetime, tech: str = "tech_a", **request) -> dict:
    created = repair_request(client, world, **request)
    reply = client.post(
        f"/api/v1/requests/{created['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids[tech],
            "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "duration_minutes": 30,
        },
    )
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


@pytest.fixture
def north(client, world) -> World:
    """A second region (Beijing) with its own dispatcher, technician, customer and site."""
    with session_scope() as session:
        region = Region(code="BJ", name="Beijing", timezone="Asia/Shanghai", polygon=BEIJING_AREA)
        session.add(region)
        session.flush()
        for name, role in (("dispatcher_bj", "dispatcher"), ("manager_bj", "manager")):
            users.create_user(
                session=session,
                actor=SYSTEM,
                username=name,
                password=PASSWORD,
                full_name=name,
                role=role,
                region_ids=[region.id],
            )
        tech_user = users.create_user(
            session=session,
            actor=SYSTEM,
            username="tech_bj",
            password=PASSWORD,
            full_name="tech_bj",
            role="technician",
            region_ids=[region.id],
        )
        technician = Technician(
            user_id=tech_user.id,
            name="Tech BJ",
            phone="+8613900000009",
            region_id=region.id,
            skills={"washer": 2},
            home_lat=39.9,
            home_lon=116.4,
        )
        session.add(technician)
        session.flush()
        north = World(region_id=region.id, technician_ids={"tech_a": technician.id})
    north.tokens["dispatcher"] = login(client, "dispatcher_bj")
    north.tokens["manager"] = login(client, "manager_bj")
    north.tokens["admin"] = world.tokens["admin"]
    customer = client.post(
        "/api/v1/customers",
        headers=world.auth("admin"),
        json={
            "name": "北京客户",
            "phone": "139 1000 2000",
            "language": "zh-CN",
            "consent": {"channel": "phone", "notice_version": "2026-01"},
        },
    )
    assert customer.status_code == 201, customer.get_json()
    north.customer_id = customer.get_json()["id"]
    site = client.post(
        f"/api/v1/customers/{north.customer_id}/sites",
        headers=world.auth("admin"),
        json={"address": "北京市东城区测试街1号", "lat": 39.91, "lon": 116.40},
    )
    assert site.status_code == 201, site.get_json()
    north.site_id = site.get_json()["id"]
    return north


# --- one mechanism: unknown query parameters and bad values are 422 -------------------------


def test_unknown_query_parameters_are_422_on_every_operation_issue_12(client, world):
    headers = world.auth("dispatcher")
    request = repair_request(client, world)
    for path in (
        "/api/v1/requests?page=2",  # the old, silently ignored ?page
        f"/api/v1/requests/{request['id']}?expand=all",  # an operation without query parameters
        "/api/v1/visits?day=2026-12-07",  # the parameter is `date`
        "/api/v1/complaints?visit=1",
    ):
        reply = client.get(path, headers=headers)
        assert reply.status_code == 422, path
        body = reply.get_json()
        assert body["error_code"] == "validation_error"
        assert list(body["details"]["fields"]["query"]) == [path.split("?")[1].split("=")[0]]
    phone = client.get("/mobile/v1/visits/today?day=2026-12-07", headers=world.auth("tech_a"))
    assert phone.status_code == 422
    assert client.get("/api/v1/requests?status=registered", headers=headers).status_code == 200


def test_rol_3_a_caller_the_operation_refuses_gets_401_or_403_before_any_unknown_parameter(
    client, world
):
    """The role check comes first: who may not call an operation learns nothing about its
    parameters (403, or 401 without a token), whatever the query string holds."""
    refused = client.get("/api/v1/requests?page=2", headers=world.auth("tech_a"))
    assert refused.status_code == 403
    assert refused.get_json()["details"]["allowed_roles"]
    write_only = client.get("/api/v1/users?sort=x&nope=1", headers=world.auth("dispatcher"))
    assert write_only.status_code == 403
    phone_only = client.get("/mobile/v1/visits/today?day=1", headers=world.auth("dispatcher"))
    assert phone_only.status_code == 403
    assert client.get("/api/v1/requests?page=2").status_code == 401
    assert client.post("/api/v1/auth/refresh?page=2").status_code == 401  # no refresh token
    allowed = client.get("/api/v1/requests?page=2", headers=world.auth("quality"))
    assert allowed.status_code == 422  # a role that may call it still hears of the typo
    assert list(allowed.get_json()["details"]["fields"]["query"]) == ["page"]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=201", "limit=x", "sort=fault", "status=lost", "region_id=-3", "q="],
)
def test_bad_list_values_are_422_naming_the_parameter_issue_12(client, world, query):
    reply = client.get(f"/api/v1/requests?{query}", headers=world.auth("dispatcher"))
    assert reply.status_code == 422
    assert query.split("=")[0] in reply.get_json()["details"]["fields"]["query"]


def test_a_tampered_cursor_or_one_of_another_order_is_422_issue_12(client, world):
    headers = world.auth("dispatcher")
    for _ in range(3):
        repair_request(client, world)
    first = client.get("/api/v1/requests?limit=1", headers=headers).get_json()
    cursor = first["page"]["next_cursor"]
    assert cursor
    wrong_types = base64.urlsafe_b64encode(b'{"s":"-registered_at","v":[1,"x"]}').decode()
    for bad in ("not-a-cursor", cursor[:-3] + "xyz", "e30", wrong_types.rstrip("=")):
        reply = client.get(f"/api/v1/requests?after={bad}", headers=headers)
        assert reply.status_code == 422, bad
        assert reply.get_json()["error_code"] == "bad_cursor"
    other = client.get(f"/api/v1/requests?after={cursor}&sort=id", headers=headers)
    assert other.status_code == 422
    assert other.get_json()["details"]["fields"]["query"]["after"]


# --- requests (INT-1, DSP-1) ------------------------------------------------------------------


def test_int_1_requests_page_through_by_keyset_newest_first_issue_12(client, world):
    made = [repair_request(client, world)["id"] for _ in range(5)]
    pages = every_page(client, "/api/v1/requests", world.auth("dispatcher"), limit=2)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [item["id"] for page in pages for item in page] == sorted(made, reverse=True)
    oldest_first = every_page(client, "/api/v1/requests?sort=registered_at", world.auth("admin"), 3)
    assert [item["id"] for page in oldest_first for item in page] == made


def test_int_1_a_row_added_between_pages_does_not_shift_the_next_page_issue_12(client, world):
    headers = world.auth("dispatcher")
    made = [repair_request(client, world)["id"] for _ in range(4)]
    first = client.get("/api/v1/requests?limit=2", headers=headers).get_json()
    repair_request(client, world)  # newer than everything: must not push a row onto page 2
    cursor = first["page"]["next_cursor"]
    second = client.get(f"/api/v1/requests?limit=2&after={cursor}", headers=headers).get_json()
    shown = [r["id"] for r in first["items"] + second["items"]]
    assert shown == sorted(made, reverse=True)


def test_int_1_requests_filter_by_status_type_channel_region_and_text_issue_12(
    client, world, north
):
    headers = world.auth("admin")
    washer = repair_request(client, world, fault_description="Washer drum rattles")
    by_email = repair_request(client, world, channel="email", product_model="ZX-9")
    query = client.post(
        "/api/v1/requests",
        headers=world.auth("dispatcher"),
        json={
            "customer_id": world.customer_id,
            "request_type": "consultation",
            "channel": "online_chat",
            "category": "appliance",
            "service_class": "C",
            "fault_description": "How to descale?",
        },
    ).get_json()
    beijing = repair_request(client, north, fault_description="Fridge hums")

    def ids(query_string: str) -> list[int]:
        reply = client.get(f"/api/v1/requests?{query_string}", headers=headers)
        assert reply.status_code == 200, reply.get_json()
        return [item["id"] for item in reply.get_json()["items"]]

    assert ids("q=RATTLES") == [washer["id"]]
    assert ids("q=zx-") == [by_email["id"]]
    assert ids(f"q={washer['number']}") == [washer["id"]]
    assert ids("q=100%25") == []  # wildcards match literally
    assert ids("channel=email") == [by_email["id"]]
    assert ids("request_type=consultation") == [query["id"]]
    assert ids(f"region_id={north.region_id}") == [beijing["id"]]
    assert ids(f"customer_id={north.customer_id}") == [beijing["id"]]
    assert set(ids("status=registered")) == {
        washer["id"],
        by_email["id"],
        query["id"],
        beijing["id"],
    }
    assert ids("status=closed") == []
    item = client.get("/api/v1/requests?q=rattles", headers=headers).get_json()["items"][0]
    assert item["region_id"] == world.region_id and item["number"] == washer["number"]


def test_requests_list_shows_only_the_regions_the_dispatcher_may_see_issue_12(client, world, north):
    shanghai = repair_request(client, world)
    beijing = repair_request(client, north)

    def ids(who_world: World, who: str) -> set[int]:
        reply = client.get("/api/v1/requests", headers=who_world.auth(who))
        return {item["id"] for item in reply.get_json()["items"]}

    assert ids(world, "dispatcher") == {shanghai["id"]}
    assert ids(north, "dispatcher") == {beijing["id"]}
    assert ids(world, "admin") == {shanghai["id"], beijing["id"]}
    # asking for another region's rows narrows nothing open: still none of them
    other = client.get(
        f"/api/v1/requests?region_id={north.region_id}", headers=world.auth("dispatcher")
    )
    assert other.get_json()["items"] == []


def test_requests_list_runs_a_constant_number_of_statements_issue_12(app, client, world):
    repair_request(client, world)
    headers = world.auth("dispatcher")
    few = statements_for(app, client, "/api/v1/requests?limit=50", headers)
    for _ in range(6):
        repair_request(client, world)
    assert statements_for(app, client, "/api/v1/requests?limit=50", headers) == few
    assert statements_for(app, client, "/api/v1/requests?limit=3", headers) == few


# --- visits (DSP-1, APT-1) --------------------------------------------------------------------


def test_dsp_visits_of_a_day_in_the_region_zone_by_technician_and_status_issue_12(
    client, world, north
):
    with session_scope() as s:  # a region whose working day crosses midnight UTC
        s.get(Region, north.region_id).timezone = "America/Los_Angeles"
    pacific = ZoneInfo("America/Los_Angeles")
    day = next_workday_at(9, days_ahead=3).date()
    a_morning = book(
        client, world, datetime.combine(day, datetime.min.time(), SHANGHAI).replace(hour=9)
    )
    b_later = book(
        client,
        world,
        datetime.combine(day, datetime.min.time(), SHANGHAI).replace(hour=13),
        tech="tech_b",
    )
    next_day = book(
        client,
        world,
        datetime.combine(day + timedelta(days=1), datetime.min.time(), SHANGHAI).replace(hour=10),
    )
    # 16:00 in Los Angeles is already the next day in UTC: it belongs to `day` in its zone
    evening = datetime.combine(day, datetime.min.time(), pacific).replace(hour=16)
    assert evening.astimezone(ZoneInfo("UTC")).date() == day + timedelta(days=1)
    pacific_visit = book(client, north, evening)
    headers = world.auth("admin")

    def ids(query_string: str, who: dict = headers) -> list[int]:
        reply = client.get(f"/api/v1/visits?{query_string}", headers=who)
        assert reply.status_code == 200, reply.get_json()
        return [item["id"] for item in reply.get_json()["items"]]

    assert ids(f"date={day}") == [a_morning["id"], b_later["id"], pacific_visit["id"]]
    assert ids(f"date={day + timedelta(days=1)}") == [next_day["id"]]
    assert ids(f"date={day}&region_id={north.region_id}") == [pacific_visit["id"]]
    assert ids(f"date={day}&region_id={world.region_id}") == [a_morning["id"], b_later["id"]]
    assert ids(f"date={day}", world.auth("dispatcher")) == [a_morning["id"], b_later["id"]]
    assert ids(f"date={day}", north.auth("dispatcher")) == [pacific_visit["id"]]
    tech_b = world.technician_ids["tech_b"]
    assert ids(f"technician_id={tech_b}") == [b_later["id"]]
    assert ids("status=completed") == []
    assert ids("unassigned=true") == []
    assert len(ids("status=scheduled&unassigned=false")) == 4
    newest = ids(f"date={day}&sort=-window_start")
    assert newest == [pacific_visit["id"], b_later["id"], a_morning["id"]]
    item = client.get(f"/api/v1/visits?technician_id={tech_b}", headers=headers).get_json()
    first = item["items"][0]
    assert first["technician_name"] == "Tech B" and first["region_id"] == world.region_id
    assert first["request_number"].startswith("SR")
    assert client.get("/api/v1/visits?date=2026-13-01", headers=headers).status_code == 422


def test_dsp_visits_list_runs_a_constant_number_of_statements_issue_12(app, client, world):
    start = next_workday_at(8)
    book(client, world, start)
    headers = world.auth("dispatcher")
    path = f"/api/v1/visits?date={start.date()}"
    few = statements_for(app, client, path, headers)
    for hour in (9, 10, 11, 13, 14):
        book(client, world, start.replace(hour=hour), tech="tech_b" if hour % 2 else "tech_a")
    assert statements_for(app, client, path, headers) == few
    assert statements_for(app, client, path + "&limit=2", headers) == few


# --- the technician's day by date (MOB) -------------------------------------------------------


def test_mob_visits_of_a_chosen_day_in_route_order_and_bad_dates_422_issue_12(client, world):
    day = next_workday_at(9, days_ahead=2)
    later = book(client, world, day.replace(hour=14))
    sooner = book(client, world, day.replace(hour=9))
    book(client, world, day.replace(hour=10), tech="tech_b")
    tech = world.auth("tech_a")
    reply = client.get(f"/mobile/v1/visits/today?date={day.date()}", headers=tech)
    assert reply.status_code == 200, reply.get_json()
    assert [v["id"] for v in reply.get_json()] == [sooner["id"], later["id"]]
    assert client.get("/mobile/v1/visits/today", headers=tech).get_json() == []  # today: none
    for bad in ("2026-02-30", "tomorrow", "07-12-2026", ""):
        refused = client.get(f"/mobile/v1/visits/today?date={bad}", headers=tech)
        assert refused.status_code == 422, bad
        assert "date" in refused.get_json()["details"]["fields"]["query"]


# --- complaints and follow-ups (CMP-8, FUP-1) -------------------------------------------------


def test_cmp_complaints_filter_by_visit_and_customer_in_pages_issue_12(client, world, north):
    visit = book(client, world, next_workday_at(10))
    about_visit = client.post(
        "/api/v1/complaints",
        headers=world.auth("dispatcher"),
        json={
            "customer_id": world.customer_id,
            "visit_id": visit["id"],
            "channel": "phone",
            "category": "service_attitude",
            "nature": "soft",
            "description": "Came late and left a mess",
        },
    )
    assert about_visit.status_code == 201, about_visit.get_json()
    general = client.post(
        "/api/v1/complaints",
        headers=north.auth("dispatcher"),
        json={
            "customer_id": north.customer_id,
            "channel": "phone",
            "category": "service_attitude",
            "nature": "soft",
            "description": "Nobody called back",
        },
    ).get_json()
    headers = world.auth("manager")

    def ids(query_string: str) -> list[int]:
        reply = client.get(f"/api/v1/complaints?{query_string}", headers=headers)
        assert reply.status_code == 200, reply.get_json()
        return [item["id"] for item in reply.get_json()["items"]]

    assert ids(f"visit_id={visit['id']}") == [about_visit.get_json()["id"]]
    assert ids(f"customer_id={north.customer_id}") == [general["id"]]
    assert ids("limit=1") == [general["id"]]
    assert ids("sort=id") == [about_visit.get_json()["id"], general["id"]]
    assert ids("status=closed") == []


def test_fup_followups_filter_read_one_and_hide_other_regions_issue_12(
    client, world, north, session
):
    visit = book(client, world, next_workday_at(10))
    with session_scope() as s:
        from dispatch.followups.models import FollowUp

        now = datetime.now(SHANGHAI)
        s.add(FollowUp(visit_id=visit["id"], due_at=now, deadline_at=now + timedelta(hours=24)))
    headers = world.auth("quality")
    listed = client.get(f"/api/v1/followups?visit_id={visit['id']}", headers=headers).get_json()
    assert [f["visit_id"] for f in listed["items"]] == [visit["id"]]
    followup = listed["items"][0]
    assert followup["customer_id"] == world.customer_id
    by_customer = client.get(f"/api/v1/followups?customer_id={world.customer_id}", headers=headers)
    assert [f["id"] for f in by_customer.get_json()["items"]] == [followup["id"]]
    assert (
        client.get(
            f"/api/v1/followups?customer_id={north.customer_id}", headers=headers
        ).get_json()["items"]
        == []
    )
    one = client.get(f"/api/v1/followups/{followup['id']}", headers=world.auth("dispatcher"))
    assert one.status_code == 200 and one.get_json()["id"] == followup["id"]
    elsewhere = client.get(f"/api/v1/followups/{followup['id']}", headers=north.auth("dispatcher"))
    assert elsewhere.status_code == 404
    assert client.get("/api/v1/followups/999999", headers=headers).status_code == 404
    hidden = client.get("/api/v1/followups", headers=north.auth("dispatcher")).get_json()
    assert hidden["items"] == []


def test_fup_followup_list_runs_a_constant_number_of_statements_issue_12(app, client, world):
    from dispatch.followups.models import FollowUp

    def add_followup(hour: int) -> None:
        visit = book(client, world, next_workday_at(hour))
        with session_scope() as s:
            now = datetime.now(SHANGHAI)
            s.add(FollowUp(visit_id=visit["id"], due_at=now, deadline_at=now + timedelta(days=1)))

    add_followup(9)
    headers = world.auth("dispatcher")
    few = statements_for(app, client, "/api/v1/followups", headers)
    for hour in (10, 11, 13, 14):
        add_followup(hour)
    assert statements_for(app, client, "/api/v1/followups", headers) == few
    assert statements_for(app, client, "/api/v1/followups?limit=2", headers) == few


def test_cmp_complaint_list_runs_a_constant_number_of_statements_issue_12(app, client, world):
    def complain() -> None:
        reply = client.post(
            "/api/v1/complaints",
            headers=world.auth("dispatcher"),
            json={
                "customer_id": world.customer_id,
                "channel": "phone",
                "category": "service_attitude",
                "nature": "soft",
                "description": "Rude on the phone",
            },
        )
        assert reply.status_code == 201, reply.get_json()

    complain()
    headers = world.auth("manager")
    few = statements_for(app, client, "/api/v1/complaints", headers)
    for _ in range(4):
        complain()
    assert statements_for(app, client, "/api/v1/complaints", headers) == few
    assert statements_for(app, client, "/api/v1/complaints?limit=2", headers) == few


# --- messages sent and customer links (APT, PRV-11) ------------------------------------------


def test_apt_messages_sent_show_masked_recipient_purpose_status_and_no_text_issue_12(
    app, client, world, north
):
    visit = book(client, world, next_workday_at(10))
    book(client, north, next_workday_at(11))
    headers = world.auth("dispatcher")
    reply = client.get(f"/api/v1/messages?visit_id={visit['id']}", headers=headers)
    items = reply.get_json()["items"]
    assert [m["purpose"] for m in items] == ["appointment_confirm"]
    message = items[0]
    assert message["to"] != "+8613800138000" and message["to"].endswith("8000")
    assert "*" in message["to"]
    assert "body" not in message and message["status"] == "pending"
    # the dispatcher sees their region's texts only; head office sees both regions'
    mine = client.get("/api/v1/messages?purpose=appointment_confirm", headers=headers)
    assert [m["visit_id"] for m in mine.get_json()["items"]] == [visit["id"]]
    everyone = client.get(
        "/api/v1/messages?purpose=appointment_confirm", headers=world.auth("admin")
    )
    assert len(everyone.get_json()["items"]) == 2
    intake = client.get("/api/v1/messages?purpose=request_received", headers=world.auth("admin"))
    assert len(intake.get_json()["items"]) == 2
    few = statements_for(app, client, "/api/v1/messages", world.auth("admin"))
    for hour in (13, 14, 15):
        book(client, world, next_workday_at(hour))
    assert statements_for(app, client, "/api/v1/messages", world.auth("admin")) == few
    assert statements_for(app, client, "/api/v1/messages?limit=1", world.auth("admin")) == few


def test_prv_11_links_of_a_request_and_visit_with_their_live_address_issue_12(
    client, world, north, session
):
    visit = book(client, world, next_workday_at(10))
    headers = world.auth("dispatcher")
    by_visit = client.get(f"/api/v1/visits/{visit['id']}/links", headers=headers).get_json()
    purposes = sorted(link["purpose"] for link in by_visit["items"])
    assert purposes == ["appointment", "cancel", "reschedule"]
    assert all(
        link["live"] and link["url"].startswith("http://testserver/l/")
        for link in by_visit["items"]
    )
    by_request = client.get(f"/api/v1/requests/{visit['request_id']}/links", headers=headers)
    assert [link["id"] for link in by_request.get_json()["items"]] == [
        link["id"] for link in by_visit["items"]
    ]
    # the link's address opens the customer's page
    appointment = next(link for link in by_visit["items"] if link["purpose"] == "appointment")
    page = client.get(appointment["url"].removeprefix("http://testserver"))
    assert page.status_code == 200
    # someone who may not see the request may not see its links either
    assert (
        client.get(
            f"/api/v1/visits/{visit['id']}/links", headers=north.auth("dispatcher")
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/requests/{visit['request_id']}/links", headers=north.auth("dispatcher")
        ).status_code
        == 404
    )
    session.execute(
        CustomerLink.__table__.update()
        .where(CustomerLink.id == appointment["id"])
        .values(revoked_at=datetime.now(SHANGHAI))
    )
    session.commit()
    after = client.get(f"/api/v1/visits/{visit['id']}/links", headers=headers).get_json()
    revoked = next(link for link in after["items"] if link["id"] == appointment["id"])
    assert revoked["live"] is False and revoked["url"] is None


def test_prv_11_resend_is_idempotent_audited_and_never_records_the_token_issue_12(
    client, world, north, session, caplog
):
    visit = book(client, world, next_workday_at(10))
    headers = world.auth("dispatcher")
    links = client.get(f"/api/v1/visits/{visit['id']}/links", headers=headers).get_json()["items"]
    link = next(item for item in links if item["purpose"] == "appointment")
    token = link["url"].rsplit("/", 1)[1]
    path = f"/api/v1/links/{link['id']}/resend"
    assert client.post(path, headers=headers).status_code == 428
    keyed = headers | {"Idempotency-Key": "resend-1"}
    first = client.post(path, headers=keyed)
    again = client.post(path, headers=keyed)
    assert first.status_code == again.status_code == 200, first.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.get_json() == again.get_json()
    sms_id = first.get_json()["sms_id"]
    resent = session.scalars(select(SmsMessage).where(SmsMessage.template == "link_resent")).all()
    assert [m.id for m in resent] == [sms_id]
    assert token in resent[0].body  # the customer gets the same, still working link
    audits = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "link.resent", AuditEntry.entity_id == link["id"]
        )
    ).all()
    assert len(audits) == 1
    assert audits[0].after["sms_id"] == sms_id and audits[0].actor_role == "dispatcher"
    assert token not in repr((audits[0].before, audits[0].after))
    assert token not in caplog.text
    listed = client.get("/api/v1/messages?purpose=link_resent", headers=headers).get_json()
    assert [m["id"] for m in listed["items"]] == [sms_id]
    other = client.post(path, headers=north.auth("dispatcher") | {"Idempotency-Key": "bj-1"})
    assert other.status_code == 404
    session.execute(
        CustomerLink.__table__.update()
        .where(CustomerLink.id == link["id"])
        .values(revoked_at=datetime.now(SHANGHAI))
    )
    session.commit()
    dead = client.post(path, headers=headers | {"Idempotency-Key": "resend-2"})
    assert dead.status_code == 409 and dead.get_json()["error_code"] == "link_not_live"


# --- users and technicians (ROL) --------------------------------------------------------------


def test_rol_users_list_for_admins_and_managers_of_their_regions_issue_12(client, world, north):
    def usernames(who_world: World, who: str, query_string: str = "") -> list[str]:
        reply = client.get(f"/api/v1/users?{query_string}", headers=who_world.auth(who))
        assert reply.status_code == 200, reply.get_json()
        return [user["username"] for user in reply.get_json()["items"]]

    everyone = usernames(world, "admin")
    assert {"dispatcher", "dispatcher_bj", "tech_a", "tech_bj"} <= set(everyone)
    assert everyone == sorted(everyone)
    assert usernames(north, "manager") == ["dispatcher_bj", "manager_bj", "tech_bj"]
    assert "dispatcher_bj" not in usernames(world, "manager")
    assert usernames(world, "admin", "role=technician&q=tech_") == ["tech_a", "tech_b", "tech_bj"]
    assert usernames(world, "admin", f"region_id={north.region_id}&role=dispatcher") == [
        "dispatcher_bj"
    ]
    for refused in ("dispatcher", "quality", "tech_a"):
        assert client.get("/api/v1/users", headers=world.auth(refused)).status_code == 403


def test_technicians_list_with_usernames_by_region_in_constant_statements_issue_12(
    app, client, world, north
):
    headers = world.auth("dispatcher")
    listed = client.get("/api/v1/technicians", headers=headers).get_json()["items"]
    assert [(t["name"], t["username"]) for t in listed] == [
        ("Tech A", "tech_a"),
        ("Tech B", "tech_b"),
    ]
    everyone = client.get("/api/v1/technicians?q=tech_bj", headers=world.auth("admin")).get_json()
    assert [t["username"] for t in everyone["items"]] == ["tech_bj"]
    with session_scope() as s:  # tech_b also helps in Beijing
        s.get(Technician, world.technician_ids["tech_b"]).extra_region_ids = [north.region_id]
    serving = client.get(
        f"/api/v1/technicians?region_id={north.region_id}", headers=world.auth("admin")
    )
    assert [t["username"] for t in serving.get_json()["items"]] == ["tech_b", "tech_bj"]
    helping = client.get("/api/v1/technicians", headers=north.auth("dispatcher")).get_json()
    assert [t["username"] for t in helping["items"]] == ["tech_b", "tech_bj"]
    few = statements_for(app, client, "/api/v1/technicians", world.auth("admin"))
    with session_scope() as s:
        for n in range(5):
            user = users.create_user(
                session=s,
                actor=SYSTEM,
                username=f"extra_{n}",
                password=PASSWORD,
                full_name=f"Extra {n}",
                role="technician",
                region_ids=[world.region_id],
            )
            s.add(
                Technician(
                    user_id=user.id,
                    name=f"Extra {n}",
                    phone="+8613900000001",
                    region_id=world.region_id,
                )
            )
    assert statements_for(app, client, "/api/v1/technicians", world.auth("admin")) == few
    assert statements_for(app, client, "/api/v1/technicians?limit=2", world.auth("admin")) == few
    assert client.get("/api/v1/technicians?active=maybe", headers=headers).status_code == 422
