"""VCH-16: parts are recorded per job with status needed, ordered, ready or used."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from tests.builders import book_visit


def test_vch_16_a_part_moves_needed_ordered_ready_used_and_never_back(client, world, session):
    visit = book_visit(client, world, tech="tech_a")
    url = f"/api/v1/requests/{visit['request_id']}/parts"
    dispatcher = world.auth("dispatcher")
    added = client.post(url, headers=dispatcher, json={"part_code": "BELT-9", "quantity": 2})
    assert added.status_code == 201, added.get_json()
    line = added.get_json()
    assert (line["status"], line["quantity"]) == ("needed", 2)
    for step in ("ordered", "ready", "used"):
        moved = client.post(
            f"/api/v1/job-parts/{line['id']}/status", headers=dispatcher, json={"status": step}
        )
        assert moved.status_code == 200 and moved.get_json()["status"] == step
        assert moved.get_json()[f"{step}_at"]
    back = client.post(
        f"/api/v1/job-parts/{line['id']}/status", headers=dispatcher, json={"status": "ordered"}
    )
    assert back.status_code == 409
    listed = client.get(url, headers=dispatcher).get_json()
    assert [(p["part_code"], p["status"]) for p in listed] == [("BELT-9", "used")]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "job_part").order_by(AuditEntry.id)
    ).all()
    assert actions == ["job_part.needed", "job_part.ordered", "job_part.ready", "job_part.used"]


def test_vch_16_unknown_part_code_is_refused(client, world):
    visit = book_visit(client, world, tech="tech_a")
    refused = client.post(
        f"/api/v1/requests/{visit['request_id']}/parts",
        headers=world.auth("dispatcher"),
        json={"part_code": "NOPE-1"},
    )
    assert refused.status_code == 422 and refused.get_json()["error_code"] == "unknown_part"
