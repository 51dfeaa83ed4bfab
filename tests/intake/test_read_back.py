"""The fault, address and requested time read back to the customer, the confirmation time
stored, and the list of unconfirmed requests (INT-6)."""

from __future__ import annotations

from sqlalchemy import event, select

from dispatch.db import db
from dispatch.notifications.models import SmsMessage
from tests.builders import repair_request


def test_int_6_read_back_stores_the_confirmation_and_restates_details_by_sms(
    client, world, session
):
    confirmed = repair_request(client, world)
    waiting = repair_request(client, world)
    url = "/api/v1/requests/unconfirmed"
    listed = client.get(url, headers=world.auth("dispatcher")).get_json()
    assert [r["id"] for r in listed] == [waiting["id"], confirmed["id"]]
    reply = client.post(
        f"/api/v1/requests/{confirmed['id']}/read-back",
        headers=world.auth("dispatcher"),
        json={"requested_time": "Thursday morning"},
    )
    assert reply.status_code == 200, reply.get_json()
    assessment = reply.get_json()["assessment"]
    assert assessment["details_confirmed_at"] and assessment["requested_time"] == "Thursday morning"
    text = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "request_read_back")
    ).one()
    assert "Drum does not spin" in text and "Thursday morning" in text
    assert "测试路100号" not in text  # the address is masked in the text
    listed = client.get(url, headers=world.auth("dispatcher")).get_json()
    assert [r["id"] for r in listed] == [waiting["id"]]
    page = client.get(url, headers=world.auth("dispatcher"), query_string={"before": waiting["id"]})
    assert page.get_json() == []


def test_int_6_unconfirmed_list_loads_in_a_fixed_number_of_queries(client, app, world):
    def count() -> int:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reply = client.get("/api/v1/requests/unconfirmed", headers=world.auth("dispatcher"))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert reply.status_code == 200
        return len(statements)

    repair_request(client, world)
    few = count()
    for _ in range(4):
        repair_request(client, world)
    assert count() == few
