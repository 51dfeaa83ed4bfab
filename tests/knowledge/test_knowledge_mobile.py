"""The knowledge base on the technician's phone (KB-4, KB-8, KB-9, KB-10)."""

from dispatch.db import db
from dispatch.knowledge.models import KbQueueItem
from tests.builders import book_visit
from tests.knowledge.helpers import KB, publish
from tests.mobile_api.helpers import accept_estimate, act, completion, walk_to_site

M = "/mobile/v1"


def _completed_visit(client, world) -> int:
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    assert act(client, tech, visit, "start").status_code == 200
    done = client.post(f"{M}/visits/{visit}/complete", headers=tech, json=completion())
    assert done.status_code == 200, done.json
    return visit


def test_kb_8_a_completed_visit_becomes_a_draft_linked_to_it(client, world, kb):
    visit = _completed_visit(client, world)
    draft = client.post(
        f"{M}/visits/{visit}/knowledge-draft", headers=world.auth("tech_a"), json={"topic_id": kb}
    )
    assert draft.status_code == 201, draft.json
    body = draft.json
    assert (body["status"], body["source_kind"], body["source_visit_id"]) == (
        "draft",
        "visit",
        visit,
    )
    text = body["pending"]
    assert text["problem"] == "Drum does not spin" and text["cause"] == "Drive belt worn through"
    assert text["solution_steps"] == [
        "Fitted a new drive belt",
        "Belt replaced, tension set",
        "Parts / 配件: Drive belt (BELT-9) x1",
        "Result / 结果: Drum turns, full wash cycle ran",
    ]
    assert text["product_models"] == ["KX-2200"]
    # the technician submits the draft; a reviewer, never the technician, publishes it
    entry, tech = body["id"], world.auth("tech_a")
    assert client.post(f"{KB}/entries/{entry}/submit", headers=tech, json={}).status_code == 200
    assert client.post(f"{KB}/entries/{entry}/approve", headers=tech, json={}).status_code == 403
    other = client.post(
        f"{M}/visits/{visit}/knowledge-draft", headers=world.auth("tech_b"), json={"topic_id": kb}
    )
    assert other.status_code == 404  # another technician's visit does not exist for tech_b


def test_kb_8_an_unfinished_visit_makes_no_draft(client, world, kb):
    visit = book_visit(client, world)["id"]
    refused = client.post(
        f"{M}/visits/{visit}/knowledge-draft", headers=world.auth("tech_a"), json={"topic_id": kb}
    )
    assert refused.status_code == 422 and refused.json["error_code"] == "visit_not_completed"


def test_kb_9_did_not_solve_it_puts_an_item_in_the_administrators_queue(client, world, kb):
    entry = publish(client, world, kb)["id"]
    visit = book_visit(client, world)["id"]
    flagged = client.post(
        f"{M}/knowledge/entries/{entry}/not-solved",
        headers=world.auth("tech_a"),
        json={"visit_id": visit, "note": "清洗后仍然E4"},
    )
    assert flagged.status_code == 201, flagged.json
    foreign = client.post(
        f"{M}/knowledge/entries/{entry}/not-solved",
        headers=world.auth("tech_b"),
        json={"visit_id": visit},
    )
    assert foreign.status_code == 404
    queue = client.get(f"{KB}/queue", headers=world.auth("kb_admin")).json
    assert [(q["entry_id"], q["visit_id"], q["note"]) for q in queue] == [
        (entry, visit, "清洗后仍然E4")
    ]
    assert client.get(f"{KB}/queue", headers=world.auth("author")).status_code == 403
    closed = client.post(f"{KB}/queue/{queue[0]['id']}/close", headers=world.auth("kb_admin"))
    assert closed.json["open"] is False
    assert db.session.get(KbQueueItem, queue[0]["id"]).open is False


def test_kb_4_technicians_search_and_get_hints_for_their_visit(client, world, kb):
    washer = publish(
        client,
        world,
        kb,
        text={
            "title": "滚筒不转：皮带磨损",
            "problem": "Drum does not spin",
            "cause": "Drive belt worn",
            "solution_steps": ["拆下后盖", "Replace the drive belt"],
            "product_models": ["KX-2200"],
        },
    )["id"]
    aircon = publish(client, world, kb)["id"]
    tech = world.auth("tech_a")
    found = client.get(f"{M}/knowledge/search", headers=tech, query_string={"q": "皮带"}).json
    assert [e["id"] for e in found] == [washer]
    visit = book_visit(client, world)["id"]  # KX-2200, "Drum does not spin"
    hints = client.get(f"{M}/visits/{visit}/knowledge-hints", headers=tech).json
    assert [e["id"] for e in hints][:1] == [washer] and aircon not in [e["id"] for e in hints]
    assert (
        client.get(f"{M}/visits/{visit}/knowledge-hints", headers=world.auth("tech_b")).status_code
        == 404
    )
    read = client.get(f"{M}/knowledge/entries/{washer}", headers=tech).json
    assert read["published"]["title"] == "滚筒不转：皮带磨损"


def test_kb_10_technicians_mark_entries_helpful_or_not(client, world, kb):
    entry = publish(client, world, kb)["id"]
    answer = client.post(
        f"{M}/knowledge/entries/{entry}/feedback",
        headers=world.auth("tech_a"),
        json={"helpful": False, "comment": "型号不对"},
    )
    assert answer.status_code == 201 and answer.json["helpful"] is False
