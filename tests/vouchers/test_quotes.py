"""Class-A quotes (VCH-3): the fee table, findings, cause, warranty and the customer's acceptance;
the product's warranty rules (VCH-4); charges outside the table and their disputes (VCH-15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from dispatch.actors import SYSTEM
from dispatch.complaints.models import Complaint
from dispatch.db import session_scope
from dispatch.knowledge.models import KbEntry
from dispatch.quotes.models import Charge, Quote
from dispatch.regions.models import Region
from dispatch.users import service as users
from tests.builders import PASSWORD, book_visit, login, signature_b64, sms_link_token
from tests.knowledge.helpers import add_kb_people, make_topic, publish
from tests.mobile_api.helpers import (
    QUOTE,
    accept_estimate,
    act,
    completion,
    new_key,
    now_iso,
    walk_to_site,
)

FEES = "/api/v1/fee-items"


def _fee(client, world, code: str, cents: int, **extra):
    body = {"code": code, "name_zh": "检测费", "name_en": "Inspection", "price_cents": cents,
            "unit": "次"} | extra  # fmt: skip
    reply = client.post(FEES, headers=world.auth("admin"), json=body)
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()


def _quote(client, tech, visit, **changes):
    return act(client, tech, visit, "quote", key=new_key(), **(QUOTE | changes))


def _on_site(client, world):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    return visit, tech


def test_vch_3_quote_is_priced_from_the_fee_table_in_force_in_the_region(client, world, session):
    past = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    _fee(client, world, "CHK", 5_000, valid_from=past)  # global
    _fee(client, world, "CHK", 6_000, valid_from=past, region_id=world.region_id)
    later = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    _fee(client, world, "CHK", 9_000, valid_from=later, region_id=world.region_id)  # next version
    visit, tech = _on_site(client, world)
    table = client.get("/mobile/v1/fee-items", headers=tech).get_json()
    assert [(f["code"], f["price_cents"]) for f in table] == [("CHK", 6_000)]

    reply = _quote(
        client, tech, visit, fault_cause="misuse", charges=[{"code": "CHK", "quantity": 2}]
    )
    assert reply.status_code == 200, reply.get_json()
    quote = reply.get_json()
    assert quote["status"] == "draft" and quote["total_cents"] == 12_000
    assert (quote["fault_cause"], quote["warranty_status"]) == ("misuse", "out_of_warranty")
    assert quote["warranty_basis"] == QUOTE["warranty_basis"]
    (line,) = quote["charges"]
    assert (line["code"], line["unit_price_cents"], line["off_table"], line["status"]) == (
        "CHK",
        6_000,
        False,
        "agreed",
    )
    stored = session.get(Quote, visit)
    assert stored.findings == QUOTE["findings"] and stored.minutes == QUOTE["minutes"]


def test_vch_3_fee_table_versions_are_listed_and_a_duplicate_version_is_refused(client, world):
    at = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    _fee(client, world, "CHK", 5_000, valid_from=at)
    _fee(client, world, "CHK", 5_500)
    again = client.post(
        FEES,
        headers=world.auth("admin"),
        json={
            "code": "CHK",
            "name_zh": "检测费",
            "name_en": "Inspection",
            "price_cents": 1,
            "unit": "次",
            "valid_from": at,
        },  # fmt: skip
    )
    assert again.status_code == 409 and again.get_json()["error_code"] == "fee_exists"
    assert client.post(FEES, headers=world.auth("manager"), json={}).status_code == 403
    listed = client.get(f"{FEES}?code=CHK", headers=world.auth("dispatcher")).get_json()
    assert [i["price_cents"] for i in listed["items"]] == [5_500, 5_000]  # newest version first


def test_vch_3_bad_quotes_are_refused_with_the_reason(client, world):
    visit, tech = _on_site(client, world)
    unknown = _quote(client, tech, visit, charges=[{"code": "NOPE", "quantity": 1}])
    assert unknown.status_code == 422 and unknown.get_json()["error_code"] == "unknown_fee_code"
    cause = _quote(client, tech, visit, fault_cause="weather")
    assert cause.status_code == 422 and "fault_cause" in str(cause.get_json()["details"])
    no_reason = _quote(client, tech, visit, charges=[{"name": "Extra", "price_cents": 100}])
    assert no_reason.status_code == 422
    assert no_reason.get_json()["error_code"] == "charge_incomplete"
    not_yet = act(client, tech, visit, "quote/accept", key=new_key(), accepted_by="Wang")
    assert not_yet.status_code == 404  # nothing to accept before a quote exists


def test_vch_3_work_starts_after_the_customer_accepts_the_quote_on_the_phone(
    client, world, session
):
    visit, tech = _on_site(client, world)
    assert _quote(client, tech, visit).status_code == 200
    refused = act(client, tech, visit, "start")
    assert refused.status_code == 422 and refused.get_json()["error_code"] == "quote_not_accepted"
    accepted = act(
        client,
        tech,
        visit,
        "quote/accept",
        key=new_key(),
        accepted_by="Wang",
        signature=signature_b64(),
    )
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert (body["status"], body["accepted_via"]) == ("accepted", "phone")
    # the off-table line the customer saw in the quote is confirmed by the acceptance (VCH-15)
    assert [c["status"] for c in body["charges"]] == ["agreed"]
    started = act(client, tech, visit, "start").get_json()
    assert started["status"] == "in_progress" and started["estimate_cents"] == 18_000
    rewrite = _quote(client, tech, visit)
    assert rewrite.status_code == 409  # accepted: changes come as new charges
    staff = client.get(f"/api/v1/visits/{visit}/quote", headers=world.auth("dispatcher"))
    assert staff.status_code == 200 and staff.get_json()["total_cents"] == 18_000
    assert session.get(Quote, visit).signature_sha256 is not None


def test_vch_3_quote_write_and_acceptance_replayed_have_one_effect(client, world, session):
    visit, tech = _on_site(client, world)
    key, body = new_key(), QUOTE | {"device_time": now_iso()}
    first = act(client, tech, visit, "quote", key=key, **body)
    again = act(client, tech, visit, "quote", key=key, **body)
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert session.scalars(select(Charge)).all().__len__() == 1
    key, body = new_key(), {"accepted_by": "Wang", "device_time": now_iso()}
    accepted = act(client, tech, visit, "quote/accept", key=key, **body)
    replayed = act(client, tech, visit, "quote/accept", key=key, **body)
    assert accepted.status_code == replayed.status_code == 200
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert session.get(Quote, visit).accepted


def test_vch_4_quote_shows_warranty_status_and_the_rules_of_the_chosen_repair_method(
    client, world, session
):
    add_kb_people(client, world)
    topic = make_topic(client, world)

    def policy(title: str, method: str, models: list[str]) -> dict:
        return publish(
            client,
            world,
            topic,
            content_type="service_policy",
            product_category="appliance",  # the category of the job (tests.builders.repair_body)
            solution_method=method,
            text={"title": title, "product_models": models},
        )

    policy("商品保修及维修规定 general repairs", "repair", ["OTHER-1"])
    parts_rules = policy("商品保修及维修规定 part replacement", "replace_part", ["OTHER-1"])
    publish(client, world, topic, product_category="appliance")  # troubleshooting: not a rule
    visit, tech = _on_site(client, world)
    basis = "Invoice 2026-02-01, 2-year warranty"
    drafted = _quote(
        client, tech, visit, warranty_status="in_warranty", warranty_basis=basis,
        repair_method="replace_part",
    )  # fmt: skip
    assert drafted.status_code == 200, drafted.get_json()
    shown = client.get(f"/mobile/v1/visits/{visit}/quote", headers=tech).get_json()
    assert (shown["warranty_status"], shown["repair_method"]) == ("in_warranty", "replace_part")
    assert shown["warranty_rules"]["entry_id"] == parts_rules["id"]
    assert shown["warranty_rules"]["title"].startswith("商品保修及维修规定")
    own_model = policy("KX-2200 保修及维修规定", "repair", ["KX-2200"])  # the product's own rules
    staff = client.get(f"/api/v1/visits/{visit}/quote", headers=world.auth("manager")).get_json()
    assert staff["warranty_rules"]["entry_id"] == own_model["id"]
    assert session.get(KbEntry, own_model["id"]).content_type == "service_policy"


def test_vch_15_charge_outside_fee_table_needs_confirmation_before_collection(
    client, world, session
):
    visit, tech = _on_site(client, world)
    accept_estimate(client, tech, visit)
    act(client, tech, visit, "start")
    extra = act(
        client,
        tech,
        visit,
        "quote/charges",
        key=new_key(),
        name="Second belt",
        price_cents=3_000,
        reason="Found worn during the work",
    )
    assert extra.status_code == 200, extra.get_json()
    added = extra.get_json()["charges"][-1]
    assert (added["off_table"], added["status"]) == (True, "pending")
    body = completion(fee_cents=21_000, collection_method="cash")
    refused = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "charge_unconfirmed"
    confirmed = act(client, tech, visit, f"quote/charges/{added['id']}/confirm", key=new_key())
    assert confirmed.status_code == 200
    assert confirmed.get_json()["charges"][-1]["confirmed_via"] == "phone"
    done = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert done.status_code == 200, done.get_json()


def test_vch_15_disputed_charge_is_escalated_as_a_price_complaint(client, world, session):
    visit, tech = _on_site(client, world)
    accepted = accept_estimate(client, tech, visit)
    charge_id = accepted["charges"][0]["id"]
    act(client, tech, visit, "start")
    tech_try = client.post(f"/api/v1/charges/{charge_id}/dispute", headers=tech, json={})
    assert tech_try.status_code == 403
    reply = client.post(
        f"/api/v1/charges/{charge_id}/dispute",
        headers=world.auth("dispatcher"),
        json={"reason": "Customer says the belt was fitted last year"},
    )
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["status"] == "disputed"
    complaint = session.get(Complaint, reply.get_json()["complaint_id"])
    assert (complaint.category, complaint.visit_id) == ("price", visit)
    twice = client.post(
        f"/api/v1/charges/{charge_id}/dispute",
        headers=world.auth("dispatcher"),
        json={"reason": "x"},
    )
    assert twice.status_code == 409
    body = completion(fee_cents=18_000, collection_method="cash")
    refused = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "charge_disputed"
    with session_scope() as scope:
        assert scope.scalars(select(Complaint)).all().__len__() == 1


def test_vch_3_customer_accepts_the_quote_by_sms_link(client, world, session, run_worker, sms):
    visit, tech = _on_site(client, world)
    assert _quote(client, tech, visit).status_code == 200
    sent = act(client, tech, visit, "quote/link", key=new_key())
    assert sent.status_code == 200, sent.get_json()
    run_worker()
    body = next(m.body for m in sms.sent if "repair quote" in m.body)
    assert "180.00" in body
    token = sms_link_token(body)
    page = client.get(f"/l/{token}?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Drive belt worn through" in text and "180.00" in text
    zh = client.get(f"/l/{token}?lang=zh-CN").get_data(as_text=True)
    assert "维修报价" in zh and "保修期外" in zh and "更换配件" in zh
    nameless = client.post(f"/l/{token}/quote", data={"accepted_by": " "})
    assert nameless.status_code == 422
    accepted = client.post(f"/l/{token}/quote", data={"accepted_by": "Wang"})
    assert accepted.status_code == 200
    session.expire_all()
    quote = session.get(Quote, visit)
    assert (quote.status, quote.accepted_via) == ("accepted", "link")
    assert act(client, tech, visit, "start").get_json()["status"] == "in_progress"
    spent = client.post(f"/l/{token}/quote", data={"accepted_by": "Wang"})
    assert spent.status_code == 403  # the link is spent


def test_vch_15_charges_and_quotes_of_another_region_answer_404(client, world):
    with session_scope() as scope:
        north = Region(code="BJ", name="Beijing", timezone="Asia/Shanghai", polygon=None)
        scope.add(north)
        scope.flush()
        users.create_user(session=scope, actor=SYSTEM, username="dispatcher_bj",
                          password=PASSWORD, full_name="BJ", role="dispatcher",
                          region_ids=[north.id])  # fmt: skip
    world.tokens["dispatcher_bj"] = login(client, "dispatcher_bj")
    visit, tech = _on_site(client, world)
    charge_id = accept_estimate(client, tech, visit)["charges"][0]["id"]
    elsewhere = world.auth("dispatcher_bj")
    assert client.get(f"/api/v1/visits/{visit}/quote", headers=elsewhere).status_code == 404
    disputed = client.post(
        f"/api/v1/charges/{charge_id}/dispute", headers=elsewhere, json={"reason": "Too dear"}
    )
    assert disputed.status_code == 404
    other_tech = client.get(f"/mobile/v1/visits/{visit}/quote", headers=world.auth("tech_b"))
    assert other_tech.status_code == 404
