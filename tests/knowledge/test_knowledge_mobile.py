"""The knowledge base on the technician's phone (KB-4, KB-8, KB-9, KB-10)."""

from datetime import UTC, datetime, timedelta

import time_machine

from dispatch.actors import Actor
from dispatch.db import db
from dispatch.knowledge.hints import hints_for_visits
from dispatch.knowledge.models import KbQueueItem
from dispatch.knowledge.segment import Segmenter
from dispatch.models import Visit
from tests.builders import book_visit, login, next_workday_at, release_visit, repair_request
from tests.knowledge.helpers import KB, entry_body, publish
from tests.knowledge.test_knowledge_api import _count
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
    report = client.get(
        f"{KB}/reports/usage", headers=world.auth("kb_admin"),
        query_string={"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"},
    ).json  # fmt: skip
    assert report["flags"] == 1  # KB-10: flags are counted for the usage report
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


def _washer_entries(client, world, kb) -> dict[str, int]:
    """Publish entries for the KX-2200's drum and a draft and an expired one that must not show."""
    drum = {"problem": "Drum does not spin", "cause": "Drive belt worn", "tags": []}
    made = {}
    for name, title, models in (
        ("belt", "滚筒不转：皮带磨损 drum belt", ["KX-2200"]),
        ("motor", "Drum does not spin: motor brushes worn", ["KX-2200"]),
        ("board", "Drum does not spin after power cut: control board", ["KX-2200"]),
        ("lid", "Drum does not spin: lid lock open", ["KX-2200"]),
        ("other_model", "Drum does not spin on the KX-9000", ["KX-9000"]),
    ):
        text = drum | {"title": title, "product_models": models,
                       "solution_steps": ["拆下后盖", "Replace the worn part"]}  # fmt: skip
        made[name] = publish(client, world, kb, text=text, product_category="washer")["id"]
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    text = drum | {"title": "Drum does not spin: old advice", "product_models": ["KX-2200"],
                   "solution_steps": ["a", "b"]}  # fmt: skip
    made["expiring"] = publish(client, world, kb, text=text, valid_until=soon)["id"]
    body = entry_body(kb, **text)
    made["draft"] = client.post(f"{KB}/entries", headers=world.auth("author"), json=body).json["id"]
    return made


def test_kb_4_each_visit_of_todays_route_and_sync_carries_its_top_3_hints(client, world, kb):
    entries = _washer_entries(client, world, kb)
    aircon = publish(client, world, kb)["id"]  # AC-35, 空调不制冷 E4
    start = next_workday_at(10)
    washer = book_visit(client, world, start=start)["id"]  # KX-2200, "Drum does not spin"
    request = repair_request(client, world, product_model="AC-35", fault_description="空调不制冷")
    cooling = client.post(
        f"/api/v1/requests/{request['id']}/visits", headers=world.auth("dispatcher"),
        json={"technician_id": world.technician_ids["tech_a"],
              "window_start": (start + timedelta(hours=3)).isoformat(),
              "window_end": (start + timedelta(hours=5)).isoformat(), "duration_minutes": 60},
    ).json["id"]  # fmt: skip
    release_visit(client, world, cooling)
    with time_machine.travel(start - timedelta(hours=1)):  # that day; the old advice has expired
        token = login(client, "tech_a", f"{M}/auth/login", device_id="dev-tech_a")
        tech = {"Authorization": f"Bearer {token}"}
        today = client.get(f"{M}/visits/today", headers=tech).json
        synced = client.get(f"{M}/sync", headers=tech, query_string={"since": "2000-01-01T00:00Z"})
    hints = {v["id"]: [h["id"] for h in v["knowledge_hints"]] for v in today}
    assert set(hints) == {washer, cooling}
    assert len(hints[washer]) == 3  # the top 3, the model's own entries only
    assert set(hints[washer]) <= {entries[n] for n in ("belt", "motor", "board", "lid")}
    assert hints[cooling] == [aircon]
    hidden = {entries["draft"], entries["expiring"], entries["other_model"]}
    assert not hidden & {h for found in hints.values() for h in found}
    assert {
        v["id"]: [h["id"] for h in v["knowledge_hints"]] for v in synced.json["visits"]
    } == hints
    assert today[0]["knowledge_hints"][0]["title"]


def test_kb_4_route_hints_take_the_same_queries_for_one_visit_or_many(client, world, kb):
    _washer_entries(client, world, kb)
    publish(client, world, kb)
    visits = [book_visit(client, world)["id"]]
    visits += [
        book_visit(client, world, start=next_workday_at(10, days_ahead=d))["id"] for d in (2, 3, 4)
    ]
    repair = repair_request(client, world, product_model="AC-35", fault_description="不制冷 E4")
    visits.append(
        client.post(
            f"/api/v1/requests/{repair['id']}/visits", headers=world.auth("dispatcher"),
            json={"technician_id": world.technician_ids["tech_a"],
                  "window_start": next_workday_at(14, days_ahead=5).isoformat(),
                  "window_end": next_workday_at(16, days_ahead=5).isoformat(),
                  "duration_minutes": 60},
        ).json["id"]
    )  # fmt: skip
    technician = db.session.get(Visit, visits[0]).technician_id
    actor = Actor(kind="user", id=1, role="technician", technician_id=technician)
    cut = Segmenter().cut
    one = _count(lambda: hints_for_visits(db.session, actor=actor, visit_ids=visits[:1], cut=cut))
    many = _count(lambda: hints_for_visits(db.session, actor=actor, visit_ids=visits, cut=cut))
    assert one == many == 3
    found = hints_for_visits(db.session, actor=actor, visit_ids=visits, cut=cut)
    assert all(len(found[v]) == 3 for v in visits[:4]) and len(found[visits[4]]) == 1
