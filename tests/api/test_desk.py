"""Issue 12, the desk: intake finds the caller by phone with earlier requests, jobs, complaints
and special notes (INT-5, CMP-20), creates the request, books a window and shows the SMS with
its link; the complaints queue shows each clock and its owner. API and Debian chromium."""

from __future__ import annotations

from sqlalchemy import event

from dispatch.db import db
from tests.builders import repair_request
from tests.complaints.helpers import file_complaint
from tests.routing.day import KUNSHAN

PHONE = "138 0013 8000"  # the world's customer


def _history(client, world, who="dispatcher", phone=PHONE):
    return client.get("/api/v1/desk/caller", query_string={"phone": phone}, headers=world.auth(who))


def test_caller_lookup_shows_requests_jobs_complaints_and_notes_int_5_cmp_20(client, world):
    earlier = repair_request(client, world)
    complaint = file_complaint(client, world, request_id=earlier["id"])
    note = client.post(
        f"/api/v1/complaints/{complaint['id']}/special-notes",
        headers=world.auth("dispatcher"),
        json={"note": "Call before arriving; <b>dog</b> in the garden"},
    )
    assert note.status_code == 201, note.get_json()
    found = _history(client, world)
    assert found.status_code == 200, found.get_json()
    [caller] = found.get_json()
    assert caller["id"] == world.customer_id
    assert [r["number"] for r in caller["requests"]] == [earlier["number"]]
    assert [c["number"] for c in caller["complaints"]] == [complaint["number"]]
    assert caller["special_notes"][0]["note"].startswith("Call before arriving")
    assert _history(client, world, phone="+86 138-0013-8000").get_json()[0]["id"] == caller["id"]
    assert _history(client, world, phone="13900009999").get_json() == []


def test_caller_lookup_hides_requests_of_regions_the_user_does_not_serve_int_5(
    client, world, session
):
    from dispatch.customers.models import Site
    from dispatch.regions.models import Region

    repair_request(client, world)
    other = Region(code="SZ", name="Suzhou", timezone="Asia/Shanghai", polygon=KUNSHAN)
    session.add(other)
    session.flush()
    session.get(Site, world.site_id).region_id = other.id
    session.commit()
    # PRV-4 (issue 11): a customer whose sites all lie in another region is not shown at all
    assert _history(client, world).get_json() == []
    assert len(_history(client, world, who="admin").get_json()[0]["requests"]) == 1


def test_caller_lookup_refuses_unknown_parameters_and_bad_phones_int_5(client, world):
    extra = client.get(
        "/api/v1/desk/caller",
        query_string={"phone": PHONE, "x": "1"},
        headers=world.auth("dispatcher"),
    )
    assert extra.status_code == 422
    assert _history(client, world, phone="abc").status_code == 422


def test_complaint_queue_shows_clocks_and_owners_in_constant_queries_issue_12(client, world):
    request = repair_request(client, world)
    file_complaint(client, world, request_id=request["id"])
    seen = []
    listener = lambda *_a: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        one = client.get("/api/v1/desk/complaints", headers=world.auth("dispatcher"))
        few = len(seen)
        for _ in range(4):
            file_complaint(client, world, request_id=request["id"])
        seen.clear()
        five = client.get("/api/v1/desk/complaints", headers=world.auth("dispatcher"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == few
    [item] = one.get_json()
    assert item["owner"]["role"] == "dispatcher" and item["owner"]["name"]
    assert item["clocks"] and item["next_due"]
    assert len(five.get_json()) == 5
