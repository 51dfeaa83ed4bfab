"""Knowledge-base test data: its three roles logged in, a topic, entries through review."""

from __future__ import annotations

from dispatch.actors import SYSTEM
from dispatch.db import session_scope
from dispatch.users import service as users
from tests.builders import PASSWORD, World, login

KB = "/api/v1/knowledge"
KB_PEOPLE = {"author": "kb_author", "reviewer": "kb_reviewer", "reviewer2": "kb_reviewer",
             "kb_admin": "kb_admin"}  # fmt: skip


def add_kb_people(client, world: World) -> None:
    """Create the knowledge author, two reviewers and the administrator, and log them in."""
    with session_scope() as session:
        for name, role in KB_PEOPLE.items():
            users.create_user(session=session, actor=SYSTEM, username=name, password=PASSWORD,
                              full_name=name, role=role, region_ids=[world.region_id])  # fmt: skip
    for name in KB_PEOPLE:
        world.tokens[name] = login(client, name)


def make_topic(client, world: World) -> int:
    """Build category → package → topic and return the topic's id."""
    admin = world.auth("kb_admin")
    category = client.post(f"{KB}/categories", headers=admin, json={"name": "家电 Appliances"})
    package = client.post(
        f"{KB}/packages", headers=admin, json={"name": "空调", "parent_id": category.json["id"]}
    )
    topic = client.post(
        f"{KB}/topics", headers=admin, json={"name": "制冷故障", "parent_id": package.json["id"]}
    )
    assert topic.status_code == 201, topic.json
    return topic.json["id"]


def entry_body(topic_id: int, **text) -> dict:
    return {
        "topic_id": topic_id,
        "content_type": "troubleshooting",
        "business_category": "repair",
        "product_category": "aircon",
        "problem_type": "fault",
        "solution_method": "repair",
        "visibility": "internal",
        "text": {
            "title": "空调不制冷，显示E4",
            "problem": "Air conditioner blows warm air and shows error E4",
            "cause": "室外机冷凝器脏堵，压力过高",
            "solution_steps": ["断电后清洗冷凝器", "Check the refrigerant pressure and refill"],
            "product_models": ["AC-35"],
            "tags": ["制冷"],
        }
        | text,
    }


def publish(client, world: World, topic_id: int, author="author", **fields) -> dict:
    """Write, submit and approve an entry; return it."""
    body = entry_body(topic_id, **fields.pop("text", {})) | fields
    created = client.post(f"{KB}/entries", headers=world.auth(author), json=body)
    assert created.status_code == 201, created.json
    entry = created.json["id"]
    assert (
        client.post(f"{KB}/entries/{entry}/submit", headers=world.auth(author), json={}).status_code
        == 200
    )
    approved = client.post(f"{KB}/entries/{entry}/approve", headers=world.auth("reviewer"), json={})
    assert approved.status_code == 200, approved.json
    return approved.json


def search(client, world: World, who="dispatcher", **query) -> list[dict]:
    found = client.get(f"{KB}/search", headers=world.auth(who), query_string=query)
    assert found.status_code == 200, found.json
    return found.json
