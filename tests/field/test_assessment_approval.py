"""VCH-5: a supervisor approves diagnosis and proposed solution before they go to the customer,
and approval sends them at once (on the day of approval)."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.assessments.models import Assessment
from dispatch.notifications.models import SmsMessage
from tests.builders import book_visit
from tests.mobile_api.helpers import act, new_key, walk_to_site


def _submitted(client, world, session) -> Assessment:
    visit = book_visit(client, world, tech="tech_a")["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    sent = act(
        client,
        tech,
        visit,
        "assessment",
        key=new_key(),
        diagnosis="Compressor relay burnt out",
        proposed_solution="Replace the relay; compressor tested fine",
    )
    assert sent.status_code == 200, sent.get_json()
    return session.scalars(select(Assessment)).one()


def _assessment_sms(session) -> list[str]:
    session.expire_all()
    query = select(SmsMessage.body).where(SmsMessage.template == "assessment_result")
    return list(session.scalars(query))


def test_vch_5_nothing_reaches_the_customer_before_a_supervisor_approves(client, world, session):
    row = _submitted(client, world, session)
    assert row.status == "submitted" and _assessment_sms(session) == []
    url = f"/api/v1/assessments/{row.id}/decision"
    by_dispatcher = client.post(url, headers=world.auth("dispatcher"), json={"approve": True})
    assert by_dispatcher.status_code == 403
    approved = client.post(url, headers=world.auth("manager"), json={"approve": True})
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert body["status"] == "approved" and body["decided_at"] and body["sent_at"]
    assert body["sent_at"][:10] == body["decided_at"][:10]  # the same day
    texts = _assessment_sms(session)
    assert len(texts) == 1 and "Compressor relay burnt out" in texts[0]
    again = client.post(url, headers=world.auth("manager"), json={"approve": False})
    assert again.status_code == 409


def test_vch_5_a_rejected_assessment_is_not_sent_and_can_be_resubmitted(client, world, session):
    row = _submitted(client, world, session)
    url = f"/api/v1/assessments/{row.id}/decision"
    rejected = client.post(
        url, headers=world.auth("manager"), json={"approve": False, "note": "Check the capacitor"}
    )
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    assert _assessment_sms(session) == []
    again = act(
        client,
        world.auth("tech_a"),
        row.visit_id,
        "assessment",
        key=new_key(),
        diagnosis="Start capacitor failed",
        proposed_solution="Replace the start capacitor",
    )
    assert again.status_code == 200
    session.expire_all()
    assert session.get(Assessment, row.id).status == "submitted"
