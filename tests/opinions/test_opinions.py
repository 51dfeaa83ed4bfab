"""Opinions: follow-up remarks routed to departments, read-only completed follow-ups (FUP-8),
and the customer's opinions from any link with staff replies by SMS (FUP-11). PostgreSQL,
Redis (rate limits) and a real RQ worker for the SMS."""

from __future__ import annotations

import time_machine
from sqlalchemy import event, func, select

from dispatch.actors import SYSTEM
from dispatch.audit import AuditEntry
from dispatch.db import db, session_scope
from dispatch.followups.models import FollowUp
from dispatch.notifications.models import SmsMessage
from dispatch.opinions.models import Opinion, OpinionReply
from dispatch.privacy.erasure import anonymise
from dispatch.privacy.rules import ANONYMISED_NAME
from dispatch.users.models import User
from tests.access.world import build
from tests.aftercare.helpers import complete_visit, local, survey_links
from tests.builders import book_visit, build_world, sms_link_token

ERROR_KEYS = {"code", "status", "message", "error_code", "details"}


def assert_error_shape(body: dict) -> None:
    assert set(body) == ERROR_KEYS, body


UNHAPPY = {
    "rating": "2",
    "problem_solved": "no",
    "reasons": ["late_arrival", "unfriendly"],
    "comment": "Came an hour late and did not call",
}


def answered_followup(client, sms, run_worker, form=UNHAPPY):
    """A world with a visit completed on 1 Dec and its survey answered on the link."""
    clock = time_machine.travel(local(1, 9), tick=True)
    traveller = clock.start()
    world = build_world(client)
    complete_visit(client, world, traveller, local(1, 13))
    traveller.move_to(local(1, 15, 1))
    run_worker()
    token = survey_links(sms)[0]
    assert client.post(f"/l/{token}/rate", data=form).status_code == 303
    return world, token, clock


def appointment_token(session, run_worker) -> str:
    run_worker()
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).first()
    return sms_link_token(body)


def test_fup_8_followup_remark_is_routed_to_the_department_of_its_first_reason(
    client, session, sms, run_worker
):
    world, _token, clock = answered_followup(client, sms, run_worker)
    try:
        me = world.auth("dispatcher")
        dispatch_inbox = client.get("/api/v1/opinions?department=dispatch", headers=me).get_json()
        quality_inbox = client.get("/api/v1/opinions?department=quality", headers=me).get_json()
    finally:
        clock.stop()
    followup = session.scalars(select(FollowUp)).one()
    opinion = session.scalars(select(Opinion)).one()
    assert (opinion.source, opinion.followup_id, opinion.visit_id) == (
        "followup",
        followup.id,
        followup.visit_id,
    )
    assert (opinion.category, opinion.department, opinion.status) == (
        "scheduling",
        "dispatch",
        "open",
    )
    assert opinion.text == "Came an hour late and did not call"
    assert [item["id"] for item in dispatch_inbox["items"]] == [opinion.id]
    assert quality_inbox["items"] == []
    routed = session.scalars(select(AuditEntry).where(AuditEntry.action == "opinion.routed"))
    assert [entry.after["department"] for entry in routed] == ["dispatch"]


def test_fup_8_answer_without_remark_routes_nothing(client, session, sms, run_worker):
    _world, _token, clock = answered_followup(
        client, sms, run_worker, form={"rating": "5", "problem_solved": "yes", "comment": "  "}
    )
    clock.stop()
    assert session.scalar(select(func.count(Opinion.id))) == 0


def test_fup_8_inbox_owner_takes_replies_and_closes_through_the_lifecycle(
    client, session, sms, run_worker
):
    world, _token, clock = answered_followup(client, sms, run_worker)
    try:
        opinion_id = session.scalars(select(Opinion.id)).one()
        me, base = world.auth("dispatcher"), f"/api/v1/opinions/{opinion_id}"
        taken = client.post(f"{base}/acknowledge", headers=me)
        again = client.post(f"{base}/acknowledge", headers=me)
        by_quality = client.post(f"{base}/close", headers=world.auth("quality"), json={})
        closed = client.post(f"{base}/close", headers=me, json={"note": "Called and apologised"})
        reply = client.post(
            f"{base}/replies",
            headers=me | {"Idempotency-Key": "late-1"},
            json={"text": "Sorry for the delay"},
        )
        open_inbox = client.get("/api/v1/opinions?status=open", headers=me).get_json()
    finally:
        clock.stop()
    user_id = taken.get_json()["owner_id"]
    assert taken.status_code == 200 and taken.get_json()["status"] == "acknowledged"
    assert user_id is not None and taken.get_json()["acknowledged_at"]
    assert again.status_code == 409 and again.get_json()["error_code"] == "invalid_transition"
    assert_error_shape(again.get_json())
    assert by_quality.status_code == 403  # the quality monitor reads, never changes
    assert closed.status_code == 200, closed.get_json()
    assert (closed.get_json()["status"], closed.get_json()["owner_id"]) == ("closed", user_id)
    assert reply.status_code == 409 and reply.get_json()["error_code"] == "invalid_transition"
    assert open_inbox["items"] == []
    assert session.scalar(select(func.count(OpinionReply.id))) == 0


def test_fup_8_completed_followup_is_read_only_for_every_write(client, session, sms, run_worker):
    """phone-outcome, delegate and a different link answer answer 409 `followup_completed`;
    reopen-job writes the job (FUP-5), never the follow-up, and leaves it as it was."""
    world, token, clock = answered_followup(client, sms, run_worker)
    try:
        followup_id = session.scalars(select(FollowUp.id)).one()
        me, base = world.auth("dispatcher"), f"/api/v1/followups/{followup_id}"
        outcome = client.post(f"{base}/phone-outcome", headers=me, json={"rating": 5})
        colleague = session.scalars(select(User.id).where(User.username == "manager")).one()
        delegate = client.post(
            f"{base}/delegate", headers=me, json={"to_user_id": colleague, "reason": "Off shift"}
        )
        changed = client.post(f"/l/{token}/rate", data={"rating": "5", "comment": "All fine"})
        same = client.post(f"/l/{token}/rate", data=UNHAPPY)  # a double tap changes nothing
        reopened = client.post(f"{base}/reopen-job", headers=me, json={"reason": "Return visit"})
    finally:
        clock.stop()
    for refused in (outcome, delegate):
        assert refused.status_code == 409, refused.get_json()
        assert refused.get_json()["error_code"] == "followup_completed"
        assert_error_shape(refused.get_json())
    assert changed.status_code == 409
    assert "本次回访已完成，不能再修改" in changed.get_data(as_text=True)
    assert same.status_code == 303
    # FUP-5: the answer already reopened the job; reopening again is the job's own 409
    assert reopened.status_code == 409 and reopened.get_json()["error_code"] == "job_open"
    session.expire_all()
    stored = session.get(FollowUp, followup_id)
    assert (stored.status, stored.rating, stored.comment, stored.phone_task_owner_id) == (
        "answered",
        2,
        UNHAPPY["comment"],
        None,
    )
    assert session.scalar(select(func.count(Opinion.id))) == 1


def test_fup_8_opinions_are_region_scoped_and_keyset_paginated_in_constant_queries(client, session):
    world = build(client, roles=("dispatcher", "cs_manager"))
    own, other = world.records[1], world.records[2]
    for n in range(4):  # more opinions in region 1 for the pages
        session.add(
            Opinion(
                source="link",
                visit_id=own.done_visit_id,
                customer_id=own.customer_id,
                category="pricing",
                department="finance",
                text=f"Too expensive {n}",
            )
        )
    session.commit()
    me = world.auth("dispatcher")

    def ids(headers, query=""):
        return [
            o["id"] for o in client.get(f"/api/v1/opinions{query}", headers=headers).json["items"]
        ]

    mine, everyone = ids(me), ids(world.auth("cs_manager"))
    assert other.opinion_id not in mine and own.opinion_id in mine and len(mine) == 5
    assert set(everyone) == set(mine) | {other.opinion_id}
    assert client.get(f"/api/v1/opinions/{other.opinion_id}", headers=me).status_code == 404
    acknowledge = client.post(f"/api/v1/opinions/{other.opinion_id}/acknowledge", headers=me)
    assert acknowledge.status_code == 404
    first = client.get("/api/v1/opinions?department=finance&limit=2", headers=me).get_json()
    cursor = first["page"]["next_cursor"]
    second = client.get(
        f"/api/v1/opinions?department=finance&limit=2&after={cursor}", headers=me
    ).get_json()
    pages = [o["id"] for o in first["items"] + second["items"]]
    assert pages == sorted(pages, reverse=True) and len(set(pages)) == 4

    def count(query):
        statements = []
        listener = lambda *_a: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/api/v1/opinions{query}", headers=me).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert count("?limit=1") == count("?limit=50")


def test_fup_8_followup_of_a_siteless_request_stays_with_head_office(client, session):
    """The follow-up loader goes through visits.get_visit: a request without a site lies in no
    region, so a region-bound dispatcher gets 404 and a head-office role reads it."""
    world = build(client, roles=("dispatcher", "cs_manager"))
    own = world.records[1]
    before = client.get(f"/api/v1/followups/{own.followup_id}", headers=world.auth("dispatcher"))
    followup = session.get(FollowUp, own.followup_id)
    followup.visit.request.site_id = None
    session.commit()
    hidden = client.get(f"/api/v1/followups/{own.followup_id}", headers=world.auth("dispatcher"))
    head_office = client.get(
        f"/api/v1/followups/{own.followup_id}", headers=world.auth("cs_manager")
    )
    assert before.status_code == 200
    assert hidden.status_code == 404 and hidden.get_json()["error_code"] == "not_found"
    assert head_office.status_code == 200 and head_office.get_json().get("region_id") is None


def test_fup_11_customer_sends_an_opinion_as_json_from_any_link_once_per_key(
    client, world, session, run_worker
):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    body = {"category": "product", "text": "The door seal smells of rubber"}
    first = client.post(f"/l/{token}/opinions", json=body, headers={"Idempotency-Key": "k-1"})
    retry = client.post(f"/l/{token}/opinions", json=body, headers={"Idempotency-Key": "k-1"})
    keyless = client.post(f"/l/{token}/opinions", json=body)
    reused = client.post(
        f"/l/{token}/opinions",
        json=body | {"text": "Another one"},
        headers={"Idempotency-Key": "k-1"},
    )
    bad = client.post(
        f"/l/{token}/opinions",
        json={"category": "spam", "text": ""},
        headers={"Idempotency-Key": "k-2"},
    )
    forged = client.post(
        f"/l/{token[:-3]}AAA/opinions", json=body, headers={"Idempotency-Key": "k-3"}
    )
    assert first.status_code == 201, first.get_json()
    assert retry.status_code == 200 and retry.get_json()["id"] == first.get_json()["id"]
    assert set(first.get_json()) == {"id", "category", "status", "created_at"}
    assert reused.get_json()["error_code"] == "idempotency_key_reused"
    for refused, status in ((keyless, 428), (reused, 422), (bad, 422), (forged, 403)):
        assert refused.status_code == status
        assert_error_shape(refused.get_json())
    assert set(bad.get_json()["details"]["fields"]["json"]) == {"category", "text"}
    opinion = session.scalars(select(Opinion)).one()
    assert (opinion.source, opinion.category, opinion.department, opinion.followup_id) == (
        "link",
        "product",
        "product",
        None,
    )


def test_fup_11_opinions_are_rate_limited_per_link(client, world, session, run_worker):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    answers = [
        client.post(
            f"/l/{token}/opinions",
            json={"text": f"Suggestion number {n}"},
            headers={"Idempotency-Key": f"rate-{n}"},
        )
        for n in range(6)
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [429]
    assert answers[-1].get_json()["error_code"] == "rate_limited"
    assert_error_shape(answers[-1].get_json())
    assert session.scalar(select(func.count(Opinion.id))) == 5


def test_fup_11_form_reply_is_stored_sent_by_sms_once_and_shown_on_the_link_page(
    client, world, session, run_worker, sms
):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    form = {"category": "scheduling", "text": "Please come after 3 pm", "key": "page-1"}
    for _ in range(2):  # a double tap sends one opinion
        sent = client.post(f"/l/{token}/opinion", data=form)
        assert sent.status_code == 303 and "opinion=sent" in sent.headers["Location"]
    opinion = session.scalars(select(Opinion)).one()
    me = world.auth("dispatcher") | {"Idempotency-Key": "reply-1"}
    listed = client.get("/api/v1/opinions?source=link", headers=me).get_json()["items"]
    reply = client.post(
        f"/api/v1/opinions/{opinion.id}/replies", headers=me, json={"text": "Booked for 15:00"}
    )
    replay = client.post(
        f"/api/v1/opinions/{opinion.id}/replies", headers=me, json={"text": "Booked for 15:00"}
    )
    run_worker()
    page = client.get(f"/l/{token}?lang=en").get_data(as_text=True)
    assert [o["id"] for o in listed] == [opinion.id] and listed[0]["department"] == "dispatch"
    assert reply.status_code == 201, reply.get_json()
    assert replay.get_json() == reply.get_json()
    stored = session.scalars(select(OpinionReply)).one()
    assert (stored.text, stored.sms_id) == ("Booked for 15:00", reply.get_json()["sms_id"])
    texts = [m.body for m in sms.sent if "Booked for 15:00" in m.body]
    assert len(texts) == 1 and "Our reply to your feedback" in texts[0]
    assert "Please come after 3 pm" in page and "Booked for 15:00" in page
    session.expire_all()
    assert session.get(Opinion, opinion.id).status == "acknowledged"
    zh = client.get(f"/l/{token}?lang=zh_CN").get_data(as_text=True)
    assert "意见与建议" in zh and "我们的答复" in zh


def test_fup_11_prv_9_erasure_forgets_the_customers_opinions_and_replies(
    client, world, session, run_worker
):
    book_visit(client, world)
    token = appointment_token(session, run_worker)
    sent = client.post(
        f"/l/{token}/opinions",
        json={"text": "I am Mrs Zhang at flat 1201, call 13800138000"},
        headers={"Idempotency-Key": "erase-1"},
    )
    opinion_id = sent.get_json()["id"]
    reply = client.post(
        f"/api/v1/opinions/{opinion_id}/replies",
        headers=world.auth("dispatcher") | {"Idempotency-Key": "erase-reply"},
        json={"text": "Dear Mrs Zhang, we will call you"},
    )
    assert reply.status_code == 201
    with session_scope() as scope:
        anonymise(scope, SYSTEM, world.customer_id)
    session.expire_all()
    assert session.get(Opinion, opinion_id).text == ANONYMISED_NAME
    assert [r.text for r in session.scalars(select(OpinionReply))] == [ANONYMISED_NAME]
