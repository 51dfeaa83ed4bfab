"""VCH-12: "anything else?" at completion; a yes creates a request linked to the job."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.intake.models import ServiceRequest
from dispatch.visits.models import Visit
from tests.builders import book_visit
from tests.mobile_api.helpers import accept_estimate, completion, new_key, walk_to_site


def _complete(client, world, **body):
    visit = book_visit(client, world, tech="tech_a")["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    response = client.post(
        f"/mobile/v1/visits/{visit}/complete",
        headers=tech | {"Idempotency-Key": new_key()},
        json=completion(**body),
    )
    return visit, response


def test_vch_12_a_further_need_at_completion_creates_a_linked_request(client, world, session):
    visit_id, response = _complete(
        client,
        world,
        anything_else={"needed": True, "description": "The dryer upstairs squeaks as well"},
    )
    assert response.status_code == 200, response.get_json()
    origin = session.get(Visit, visit_id).request
    linked = session.scalars(
        select(ServiceRequest).where(ServiceRequest.origin_request_id == origin.id)
    ).one()
    assert linked.customer_id == origin.customer_id and linked.site_id == origin.site_id
    assert linked.fault_description == "The dryer upstairs squeaks as well"
    assert (linked.status, linked.channel) == ("registered", "technician_app")
    shown = client.get(f"/api/v1/requests/{linked.id}", headers=world.auth("dispatcher"))
    assert shown.get_json()["origin_request_id"] == origin.id


def test_vch_12_no_further_need_creates_nothing_and_a_yes_must_name_the_need(
    client, world, session
):
    _, refused = _complete(client, world, anything_else={"needed": True})
    assert refused.status_code == 422
    assert "description" in str(refused.get_json()["details"])
    _, response = _complete(client, world, anything_else={"needed": False})
    assert response.status_code == 200, response.get_json()
    assert (
        session.scalars(
            select(ServiceRequest).where(ServiceRequest.origin_request_id.is_not(None))
        ).all()
        == []
    )
