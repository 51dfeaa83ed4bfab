"""PRV-4 for technicians: only their own visits, and the customer's phone and full address only
from acceptance until the post-closure period ends (issue 11 probe "Technicians")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from dispatch import access
from dispatch.actors import Actor, customer_actor
from dispatch.booking import service as booking
from dispatch.config import Config
from dispatch.customers.rules import mask_phone
from dispatch.db import session_scope
from dispatch.visits.models import Visit
from tests.access.world import PLACES, build
from tests.mobile_api.helpers import now_iso

ROLES = ("dispatcher",)
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
TECH = Actor(kind="user", id=7, role="technician", technician_id=3)


def _visit(status="scheduled", appointment="proposed", technician_id=3, completed=None):
    return SimpleNamespace(
        status=status,
        appointment=SimpleNamespace(status=appointment),
        technician_id=technician_id,
        completed_received_at=completed,
        completed_at=completed,
        changed_at=completed,
    )


def test_personal_data_window_rule_PRV_4():
    """Accepted = confirmed appointment or set off; shown until keep_days after closure."""

    def sees(visit, actor=TECH, keep=7):
        return access.technician_sees_personal_data(actor, visit, now=NOW, keep_days=keep)

    assert not sees(_visit())  # proposed, not set off
    assert sees(_visit(appointment="confirmed"))
    assert sees(_visit(status="en_route"))  # released and set off
    assert not sees(_visit(appointment="confirmed", technician_id=4))  # someone else's
    assert not sees(_visit(status="cancelled", appointment="cancelled"))
    assert sees(_visit(status="completed", completed=NOW - timedelta(days=6, hours=23)))
    assert not sees(_visit(status="completed", completed=NOW - timedelta(days=7)))
    assert not sees(_visit(status="completed", completed=NOW - timedelta(days=1)), keep=0)
    dispatcher = Actor(kind="user", id=1, role="dispatcher", region_ids=(1,))
    assert not sees(_visit(appointment="confirmed"), actor=dispatcher)


def test_post_closure_period_defaults_to_seven_days_PRV_4():
    assert Config().technician_personal_data_days == 7


def _shown(client, world, tech, visit_id) -> dict:
    reply = client.get(f"/mobile/v1/visits/{visit_id}", headers=world.auth(tech))
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def test_proposed_visit_shows_masked_phone_until_accepted_PRV_4(app, client, config):
    """Issue 11 probe: full phone and address for visits only `proposed`. Now masked until the
    customer confirms (or the technician sets off on a released visit)."""
    world = build(client, roles=ROLES)
    own = world.records[1]
    full_address = PLACES[1][2]
    shown = _shown(client, world, "tech_a", own.visit_id)
    assert shown["appointment_status"] == "proposed"
    assert shown["customer_phone"] == mask_phone(own.phone) != own.phone
    assert shown["address"] != full_address and full_address.startswith(shown["address"][:-1])
    with session_scope() as session:
        visit = session.get(Visit, own.visit_id)
        booking.confirm_by_customer(
            session=session, actor=customer_actor(own.customer_id), visit=visit, config=config
        )
    shown = _shown(client, world, "tech_a", own.visit_id)
    assert (shown["customer_phone"], shown["address"]) == (own.phone, full_address)


def test_closed_visit_hides_phone_after_the_period_and_sync_leaks_nothing_PRV_4(client):
    """Issue 11 probe: every past visit through GET /mobile/v1/sync?since=2000-01-01 showed
    full phone and address. A visit closed more than 7 days ago is masked; sync lists ids."""
    world = build(client, roles=ROLES)
    own = world.records[1]
    shown = _shown(client, world, "tech_a", own.done_visit_id)
    assert shown["status"] == "completed" and shown["customer_phone"] == own.phone
    with session_scope() as session:
        visit = session.get(Visit, own.done_visit_id)
        visit.completed_received_at = datetime.now(UTC) - timedelta(days=8)
    shown = _shown(client, world, "tech_a", own.done_visit_id)
    assert shown["customer_phone"] == mask_phone(own.phone)
    assert shown["address"] != PLACES[1][2]
    synced = client.get("/mobile/v1/sync?since=2000-01-01T00:00:00Z", headers=world.auth("tech_a"))
    assert synced.status_code == 200
    body = synced.get_data(as_text=True)
    assert own.phone not in body and PLACES[1][2] not in body
    for visit_id in synced.get_json()["created"] + synced.get_json()["updated"]:
        detail = _shown(client, world, "tech_a", visit_id)
        if detail["appointment_status"] == "proposed" or visit_id == own.done_visit_id:
            assert detail["customer_phone"] != own.phone


def test_another_technicians_visit_is_404_even_with_if_match_PRV_4(client, session):
    """Issue 11 probe: If-Match on another technician's visit answered 412 (revealing that it
    exists). Now 404, like every read and write of someone else's visit."""
    world = build(client, roles=ROLES)
    visit_id = world.records[1].visit_id  # tech_a's
    other = world.auth("tech_b")
    assert client.get(f"/mobile/v1/visits/{visit_id}", headers=other).status_code == 404
    for headers in (other | {"If-Match": '"visit-1-v999"'}, other | {"If-Match": "*"}):
        reply = client.post(
            f"/mobile/v1/visits/{visit_id}/depart",
            headers=headers,
            json={"device_time": now_iso()},
        )
        assert reply.status_code == 404, reply.get_json()
    record = client.patch(
        f"/mobile/v1/visits/{visit_id}/record",
        headers=other | {"If-Match": '"stale"'},
        json={"diagnosis": "x"},
    )
    assert record.status_code == 404
    assert session.get(Visit, visit_id).status == "scheduled"
