"""Typed appointments with assistance and access notes, confirmed by the customer or an agent
on the customer's behalf (APT-3, APT-4, APT-10)."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.notifications.models import SmsMessage
from tests.booking.morning import book
from tests.builders import sms_link_token
from tests.routing.day import local


def test_apt_3_apt_10_a_typed_appointment_carries_assistance_and_access_notes_to_the_technician(
    client, morning
):
    booked = book(
        client,
        morning,
        local(14, 30),
        local(16, 30),
        kind="collection",
        technician_id=morning.technician_ids["tech_a"],
        assistance_notes="Customer uses a wheelchair; ring twice",
        access_instructions="Gate code 4711, 3rd floor, no lift",
    )
    assert booked.status_code == 201, booked.get_json()
    visit = booked.get_json()
    assert visit["appointment_kind"] == "collection"
    today = client.get("/mobile/v1/visits/today", headers=morning.auth("tech_a")).get_json()
    assert visit["id"] in [v["id"] for v in today]
    mine = client.get(f"/mobile/v1/visits/{visit['id']}", headers=morning.auth("tech_a")).get_json()
    assert (mine["appointment_kind"], mine["assistance_notes"], mine["access_instructions"]) == (
        "collection",
        "Customer uses a wheelchair; ring twice",
        "Gate code 4711, 3rd floor, no lift",
    )
    default = book(client, morning, local(10, 30), local(12, 30)).get_json()
    assert default["appointment_kind"] == "repair"
    unknown = book(client, morning, local(10, 30), local(12, 30), kind="picnic")
    assert unknown.status_code == 422


def test_apt_4_an_agent_confirms_for_the_customer_and_a_technician_cannot(client, morning, session):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    assert visit["appointment_status"] == "proposed"
    refused = client.post(f"/api/v1/visits/{visit['id']}/confirm", headers=morning.auth("tech_a"))
    assert refused.status_code in (401, 403)
    confirmed = client.post(
        f"/api/v1/visits/{visit['id']}/confirm", headers=morning.auth("dispatcher")
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    body = confirmed.get_json()
    assert (body["appointment_status"], body["confirmed_via"]) == ("confirmed", "agent")
    assert body["confirmed_by_id"] is not None and body["confirmed_at"]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "appointment.confirmed")
    ).one()
    assert (entry.before["appointment_status"], entry.after["appointment_status"]) == (
        "proposed",
        "confirmed",
    )


def test_apt_4_the_customer_confirms_by_link_and_is_recorded_as_the_customer(
    client, morning, session
):
    visit = book(client, morning, local(14, 30), local(16, 30)).get_json()
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).one()
    assert client.post(f"/l/{sms_link_token(body)}/confirm").status_code == 303
    detail = client.get(f"/api/v1/visits/{visit['id']}", headers=morning.auth("dispatcher"))
    assert (detail.get_json()["confirmed_via"], detail.get_json()["confirmed_by_id"]) == (
        "customer",
        None,
    )
