"""The knowledge base over the staff API (KB-1..KB-7, KB-10..KB-14)."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import event, func, select

from dispatch import audit, sweeps
from dispatch.actors import customer_actor
from dispatch.db import db
from dispatch.errors import NotFound
from dispatch.knowledge import output
from dispatch.knowledge.models import KbEntry, KbUsageEvent
from dispatch.knowledge.rules import ContentType
from dispatch.links import service as links
from dispatch.models import Visit
from dispatch.users.models import User
from tests.builders import book_visit, repair_request
from tests.knowledge.helpers import KB, entry_body, publish, search


def test_kb_1_packages_and_topics_need_an_existing_parent(client, world, kb):
    admin = world.auth("kb_admin")
    orphan = client.post(f"{KB}/topics", headers=admin, json={"name": "x", "parent_id": 999})
    assert orphan.status_code == 422 and orphan.json["error_code"] == "kb_orphan"
    no_parent = client.post(f"{KB}/packages", headers=admin, json={"name": "y"})
    assert no_parent.status_code == 422
    tree = client.get(f"{KB}/tree", headers=world.auth("dispatcher")).json
    assert tree[0]["packages"][0]["topics"] == [{"id": kb, "name": "制冷故障"}]
    entry = client.post(f"{KB}/entries", headers=world.auth("author"), json=entry_body(999))
    assert entry.status_code == 422 and entry.json["error_code"] == "kb_orphan"


def test_kb_2_kb_3_an_entry_keeps_its_fields_media_and_a_unique_number(client, world, kb):
    body = entry_body(kb, media=[{"kind": "image", "url": "https://cdn.example/e4.png"}])
    first = client.post(f"{KB}/entries", headers=world.auth("author"), json=body).json
    second = client.post(f"{KB}/entries", headers=world.auth("author"), json=body).json
    assert first["number"] != second["number"]
    assert (first["status"], first["content_type"], first["visibility"]) == (
        "draft", "troubleshooting", "internal",
    )  # fmt: skip
    assert first["pending"]["media"][0]["kind"] == "image"
    assert first["published"] is None


def test_kb_2_kb_3_every_content_type_keeps_all_fields_images_video_and_attachments(
    client, world, kb
):
    until = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    media = [
        {"kind": "image", "url": "https://cdn.example/e4.png", "caption": "面板"},
        {"kind": "video", "url": "https://cdn.example/clean.mp4", "caption": "清洗"},
        {"kind": "file", "url": "https://cdn.example/manual.pdf", "caption": "手册"},
    ]
    for content_type in ContentType:
        body = entry_body(kb, media=media, tags=["制冷", "E4"]) | {
            "content_type": content_type.value,
            "business_category": "after_sales",
            "solution_method": "clean",
            "visibility": "customer",
            "valid_until": until.isoformat(),
            "source_document": "AC-35 维修手册 v2",
        }
        made = client.post(f"{KB}/entries", headers=world.auth("author"), json=body)
        assert made.status_code == 201, made.json
        entry = made.json
        assert entry["content_type"] == content_type.value and entry["number"].startswith("KB")
        assert (entry["business_category"], entry["product_category"]) == ("after_sales", "aircon")
        assert (entry["problem_type"], entry["solution_method"]) == ("fault", "clean")
        assert (entry["source_kind"], entry["source_document"]) == ("document", "AC-35 维修手册 v2")
        assert (entry["visibility"], entry["source_visit_id"]) == ("customer", None)
        assert datetime.fromisoformat(entry["valid_until"]) == until
        text = entry["pending"]
        assert text["title"] == "空调不制冷，显示E4" and text["problem"].startswith("Air con")
        assert text["cause"] and len(text["solution_steps"]) == 2
        assert (text["product_models"], text["tags"]) == (["AC-35"], ["制冷", "E4"])
        assert [m["kind"] for m in text["media"]] == ["image", "video", "file"]
    assert len(ContentType) == 7  # FAQ … workflow knowledge: the seven kinds of KB-3


def test_kb_13_an_entry_is_checked_against_its_content_type_template(client, world, kb):
    body = entry_body(kb, cause="", solution_steps=["only one"])
    refused = client.post(f"{KB}/entries", headers=world.auth("author"), json=body)
    assert refused.status_code == 422 and refused.json["error_code"] == "kb_template"
    assert set(refused.json["details"]) == {"cause", "solution_steps"}
    unknown = client.post(
        f"{KB}/entries", headers=world.auth("author"), json=entry_body(kb) | {"content_type": "x"}
    )
    assert unknown.status_code == 422


def test_kb_5_kb_6_drafts_never_appear_and_nobody_approves_their_own(client, world, kb):
    author, reviewer = world.auth("author"), world.auth("reviewer")
    entry = client.post(f"{KB}/entries", headers=author, json=entry_body(kb)).json["id"]
    assert search(client, world, q="制冷") == []
    assert (
        client.post(f"{KB}/entries/{entry}/approve", headers=reviewer, json={}).status_code == 422
    )
    assert client.post(f"{KB}/entries/{entry}/submit", headers=author, json={}).status_code == 200
    assert search(client, world, q="制冷") == []  # in review: still hidden
    assert client.get(f"{KB}/entries/{entry}", headers=world.auth("dispatcher")).status_code == 404
    assert client.post(f"{KB}/entries/{entry}/approve", headers=author, json={}).status_code == 403
    # a reviewer's own submission goes to another reviewer
    own = client.post(f"{KB}/entries", headers=reviewer, json=entry_body(kb)).json["id"]
    client.post(f"{KB}/entries/{own}/submit", headers=reviewer, json={})
    refused = client.post(f"{KB}/entries/{own}/approve", headers=reviewer, json={})
    assert refused.status_code == 403 and refused.json["error_code"] == "own_submission"
    assert (
        client.post(f"{KB}/entries/{entry}/approve", headers=reviewer, json={}).status_code == 200
    )
    assert [e["id"] for e in search(client, world, q="制冷")] == [entry]


def test_kb_6_a_rejected_entry_returns_to_draft(client, world, kb):
    author = world.auth("author")
    entry = client.post(f"{KB}/entries", headers=author, json=entry_body(kb)).json["id"]
    client.post(f"{KB}/entries/{entry}/submit", headers=author, json={})
    rejected = client.post(
        f"{KB}/entries/{entry}/reject", headers=world.auth("reviewer"), json={"note": "步骤不全"}
    ).json
    assert rejected["status"] == "draft" and rejected["pending"]["review_note"] == "步骤不全"
    mine = client.get(f"{KB}/entries/{entry}", headers=author).json
    assert (mine["status"], mine["pending"]["status"]) == ("draft", "draft")
    assert client.post(f"{KB}/entries/{entry}/submit", headers=author, json={}).status_code == 200


def test_kb_6_kb_7_a_change_waits_for_approval_and_versions_stay_readable(client, world, kb):
    entry = publish(client, world, kb)["id"]
    author, reader = world.auth("author"), world.auth("dispatcher")
    change = entry_body(kb, title="空调不制冷，显示E4（新版）")["text"]
    assert client.put(f"{KB}/entries/{entry}/text", headers=author, json=change).status_code == 200
    client.post(f"{KB}/entries/{entry}/submit", headers=author, json={})
    shown = client.get(f"{KB}/entries/{entry}", headers=reader).json
    assert shown["published"]["title"] == "空调不制冷，显示E4" and shown["pending"] is None
    assert (
        client.post(
            f"{KB}/entries/{entry}/approve", headers=world.auth("reviewer2"), json={}
        ).status_code
        == 200
    )
    shown = client.get(f"{KB}/entries/{entry}", headers=reader).json
    assert shown["published"]["title"].endswith("（新版）")
    versions = client.get(f"{KB}/entries/{entry}/versions", headers=reader).json
    assert [v["number"] for v in versions] == [1, 2]
    users = dict(db.session.execute(select(User.username, User.id)).all())
    assert [v["reviewer_id"] for v in versions] == [users["reviewer"], users["reviewer2"]]
    assert all(v["author_id"] == users["author"] and v["decided_at"] for v in versions)
    first = client.get(f"{KB}/entries/{entry}/versions/1", headers=reader).json
    assert first["title"] == "空调不制冷，显示E4"
    page = client.get(f"{KB}/entries/{entry}/versions?after=1", headers=reader).json
    assert [v["number"] for v in page] == [2]


def test_kb_4_search_finds_chinese_words_english_and_error_codes(client, world, kb):
    aircon = publish(client, world, kb)["id"]
    washer = publish(
        client, world, kb,
        text={"title": "Washer drain pump blocked (F07)", "problem": "洗衣机不排水",
              "cause": "Drain pump filter clogged",
              "solution_steps": ["Unplug", "清理排水泵过滤器"],
              "product_models": ["KX-2200"], "tags": ["drain"]},
        problem_type="leak",
        product_category="washer",
    )["id"]  # fmt: skip
    ids = lambda **q: [e["id"] for e in search(client, world, **q)]  # noqa: E731
    assert ids(q="制冷") == [aircon]  # a word inside an unspaced sentence
    assert ids(q="冷") == [aircon]  # one character
    assert ids(q="不排水") == [washer]
    assert ids(q="e4") == [aircon] and ids(q="F07") == [washer]
    assert ids(q="drain pump") == [washer]
    assert ids(q="dran") == [washer]  # a typo, through pg_trgm
    assert ids(q="", model="KX-2200") == [washer]
    assert ids(q="", tag="制冷") == [aircon]
    assert ids(q="", problem_type="leak") == [washer]
    assert ids(q="", product_category="washer") == [washer]
    category = client.get(f"{KB}/tree", headers=world.auth("dispatcher")).json[0]["id"]
    assert set(ids(q="", category_id=category)) == {aircon, washer}
    assert ids(q="", category_id=category + 1) == []
    assert ids(q="pump", model="AC-35") == []
    assert ids(q="量子计算机") == []  # one shared character (机) is chance, not a match
    assert ids(q="空气调节") == [aircon]  # unknown words match by their characters: 空, 调
    assert ids(q="aircon") == [aircon]  # the product's names are indexed with its entries


def test_kb_4_search_query_count_does_not_grow_with_results(client, world, kb):
    for _ in range(2):
        publish(client, world, kb)
    few = _count(lambda: search(client, world, q="空调 制冷"))
    for _ in range(4):
        publish(client, world, kb)
    assert len(search(client, world, q="空调 制冷")) == 6
    assert _count(lambda: search(client, world, q="空调 制冷")) == few


def _count(run) -> int:
    statements = []

    def seen(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return len(statements)


def test_kb_5_expired_and_retired_entries_are_not_found(client, world, kb, session):
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    expiring = publish(client, world, kb, valid_until=soon)["id"]
    retired = publish(client, world, kb)["id"]
    client.post(f"{KB}/entries/{retired}/retire", headers=world.auth("kb_admin"), json={})
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10)):
        assert search(client, world, q="制冷") == []
        due = client.get(f"{KB}/review-due", headers=world.auth("kb_admin")).json
        assert [e["id"] for e in due] == [expiring]  # KB-11: past its validity


def test_kb_11_entries_past_review_are_listed_for_administrators(client, world, kb, session):
    entry = publish(client, world, kb)
    publish(client, world, kb)
    review_at = datetime.fromisoformat(entry["next_review_at"])
    assert review_at - datetime.now(UTC) > timedelta(days=179)
    assert client.get(f"{KB}/review-due", headers=world.auth("kb_admin")).json == []
    assert client.get(f"{KB}/review-due", headers=world.auth("author")).status_code == 403
    stored = session.get(KbEntry, entry["id"])
    stored.next_review_at = datetime.now(UTC) - timedelta(days=1)  # 180 days went by
    session.commit()
    due = client.get(f"{KB}/review-due", headers=world.auth("kb_admin")).json
    assert [e["id"] for e in due] == [entry["id"]]


def test_kb_12_sms_is_plain_text_and_customers_see_only_customer_entries(client, world, kb):
    internal = publish(client, world, kb, text={"title": "**内部** 维修步骤"})["id"]
    public = publish(client, world, kb, visibility="customer")["id"]
    sms = client.get(f"{KB}/entries/{internal}/sms", headers=world.auth("dispatcher")).json["text"]
    assert sms.startswith("内部 维修步骤 (") and "*" not in sms and "1. 断电后清洗冷凝器" in sms
    customer = customer_actor(world.customer_id)
    assert output.for_customer(db.session, customer, public)["steps"][0] == "断电后清洗冷凝器"
    try:
        output.for_customer(db.session, customer, internal)
        raise AssertionError("an internal entry reached a customer")
    except NotFound:
        pass


def test_kb_10_feedback_views_searches_and_zero_results_make_the_usage_report(client, world, kb):
    entry = publish(client, world, kb)["id"]
    start = datetime.now(UTC) - timedelta(minutes=1)
    who = world.auth("dispatcher")
    client.get(f"{KB}/entries/{entry}", headers=who)
    search(client, world, q="制冷")
    search(client, world, q="量子计算机")
    assert (
        client.post(
            f"{KB}/entries/{entry}/feedback", headers=who, json={"helpful": True, "comment": "有用"}
        ).status_code
        == 201
    )
    assert client.post(f"{KB}/entries/{entry}/feedback", headers=who, json={}).status_code == 422
    end = datetime.now(UTC) + timedelta(minutes=1)
    report = client.get(
        f"{KB}/reports/usage", headers=world.auth("kb_admin"),
        query_string={"start": start.isoformat(), "end": end.isoformat()},
    ).json  # fmt: skip
    assert (report["views"], report["searches"], report["zero_result_searches"]) == (1, 2, 1)
    assert (report["helpful"], report["not_helpful"]) == (1, 0)
    assert report["top_zero_result_queries"] == [{"query": "量子计算机", "count": 1}]


def test_kb_13_bulk_import_reports_each_row(client, world, kb):
    good, bad = entry_body(kb), entry_body(kb, cause="")
    report = client.post(
        f"{KB}/import", headers=world.auth("author"), json={"rows": [good, bad, {"topic_id": kb}]}
    ).json
    assert (report["created"], report["failed"]) == (1, 2)
    assert [r["status"] for r in report["rows"]] == ["created", "failed", "failed"]
    assert "cause" in report["rows"][1]["errors"] and "text" in report["rows"][2]["errors"]
    csv_text = (
        "topic_id,content_type,business_category,product_category,problem_type,solution_method,"
        "title,problem,cause,solution_steps,product_models,tags\n"
        f"{kb},faq,repair,washer,usage,advice,如何清洗滤网,滤网脏,,取出滤网|冲洗,KX-2200,清洁\n"
        f"{kb},troubleshooting,repair,washer,fault,repair,缺原因,问题,,一步,,\n"
    )
    from io import BytesIO

    report = client.post(
        f"{KB}/import.csv", headers=world.auth("author"),
        data={"file": (BytesIO(csv_text.encode()), "kb.csv")}, content_type="multipart/form-data",
    ).json  # fmt: skip
    assert (report["created"], report["failed"]) == (1, 1)


def test_kb_14_a_deactivated_authors_entries_stay_and_uncovered_models_are_listed(
    client, world, kb, session
):
    entry = publish(client, world, kb)["id"]
    author = session.scalars(select(User.id).where(User.username == "author")).one()
    left = client.post(f"/api/v1/users/{author}/deactivate", headers=world.auth("admin"))
    assert left.status_code == 200, left.get_json()  # ROL-6: the author owns no open work
    assert left.get_json()["active"] is False
    assert [e["id"] for e in search(client, world, q="制冷")] == [entry]
    repair_request(client, world, product_model="AC-35")
    repair_request(client, world, product_model="FR-450")
    report = client.get(f"{KB}/reports/models-without-entries", headers=world.auth("kb_admin")).json
    assert report["product_models"] == ["FR-450"]
    assert session.get(KbEntry, entry).author_id is not None


def test_kb_4_agents_get_suggestions_while_typing_the_fault(client, world, kb):
    aircon = publish(client, world, kb)["id"]
    other = publish(client, world, kb, text={"product_models": ["AC-99"]})["id"]
    found = client.get(
        f"{KB}/suggestions",
        headers=world.auth("dispatcher"),
        query_string={"fault": "空调制冷效果差", "model": "AC-35"},
    ).json
    assert [e["id"] for e in found] == [aircon, other]  # the model's entry first
    client.post(f"{KB}/entries", headers=world.auth("author"), json=entry_body(kb))  # a draft
    for typed in ("空", "空调", "空调制", "空调制冷效", "E", "E4"):  # each keystroke answers
        found = client.get(
            f"{KB}/suggestions", headers=world.auth("dispatcher"), query_string={"fault": typed}
        )
        assert found.status_code == 200 and {e["id"] for e in found.json} <= {aircon, other}
    assert {e["id"] for e in found.json} == {aircon, other}
    assert client.get(f"{KB}/suggestions", headers=world.auth("dispatcher")).status_code == 422
    technician = client.get(
        f"{KB}/suggestions", headers=world.auth("tech_a"), query_string={"fault": "空调"}
    )
    assert technician.status_code == 403  # staff only; technicians get hints on their visits
    assert db.session.scalar(select(func.count()).select_from(KbUsageEvent)) == 0  # not logged


def test_kb_11_the_sweep_expires_entries_past_their_validity(client, world, kb, config, session):
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    entry = publish(client, world, kb, valid_until=soon)["id"]
    assert sweeps.run_all(config)["kb_entries_expired"] == 0
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=10)):
        assert sweeps.run_all(config)["kb_entries_expired"] == 1
        assert sweeps.run_all(config)["kb_entries_expired"] == 0
    assert session.get(KbEntry, entry).status == "expired"
    actions = [a.action for a in audit.history(session, "kb_entry", entry)]
    assert actions[-1] == "kb_entry.expired" and "kb_entry.approved" in actions


def test_kb_12_customer_link_page_shows_customer_entries_and_hides_internal_ones(
    client, world, kb, config
):
    internal = publish(client, world, kb, text={"title": "内部维修手册"})["id"]
    public = publish(client, world, kb, visibility="customer")["id"]
    visit = db.session.get(Visit, book_visit(client, world, released=False)["id"])
    token = links.issue_appointment_links(db.session, secret_key=config.secret_key, visit=visit)
    db.session.commit()
    page = client.get(f"/l/{token}/help/{public}")
    assert page.status_code == 200
    assert "断电后清洗冷凝器" in page.get_data(as_text=True)
    hidden = client.get(f"/l/{token}/help/{internal}")
    assert hidden.status_code == 404 and "内部维修手册" not in hidden.get_data(as_text=True)
    assert client.get(f"/l/not-a-token/help/{public}").status_code in (403, 404, 410)
