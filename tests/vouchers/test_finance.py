"""Finance's desk (ROL-3): collected payments to hand over and receive, invoices that close the
voucher's task (VCH-14); only finance and the administrator write, lists are region-scoped."""

from __future__ import annotations

from sqlalchemy import event, select

from dispatch.actors import SYSTEM
from dispatch.db import db, session_scope
from dispatch.payments.models import InvoiceTask
from dispatch.regions.models import Region
from dispatch.users import service as users
from tests.builders import PASSWORD, book_visit, login, next_workday_at
from tests.mobile_api.helpers import accept_estimate, completion, walk_to_site

TASKS = "/api/v1/finance/tasks"


def _staff(client, world, username: str, role: str, region_id: int | None = None) -> None:
    with session_scope() as session:
        users.create_user(session=session, actor=SYSTEM, username=username, password=PASSWORD,
                          full_name=username, role=role,
                          region_ids=[region_id or world.region_id])  # fmt: skip
    world.tokens[username] = login(client, username)


def _settled(client, world, fee_cents: int, hour: int = 10) -> int:
    """Complete a class-A visit with a fee collected in cash; return its invoice task's id."""
    visit = book_visit(client, world, start=next_workday_at(hour))["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    done = client.post(
        f"/mobile/v1/visits/{visit}/complete",
        headers=tech,
        json=completion(fee_cents=fee_cents, collection_method="cash"),
    )
    assert done.status_code == 200, done.get_json()
    with session_scope() as session:
        return session.scalars(select(InvoiceTask.id).order_by(InvoiceTask.id.desc())).first()


def _step(client, world, task_id: int, step: str, who: str = "finance", **body):
    return client.post(f"{TASKS}/{task_id}/{step}", headers=world.auth(who), json=body)


def test_rol_3_finance_receives_money_collected_on_site_and_mails_the_invoice(client, world):
    _staff(client, world, "finance", "finance")
    task = _settled(client, world, 50_000)
    listed = client.get(f"{TASKS}?to_hand_over=true", headers=world.auth("finance")).get_json()
    (row,) = listed["items"]
    assert (row["id"], row["kind"], row["status"], row["amount_cents"]) == (
        task,
        "mail_invoice",
        "open",
        50_000,
    )
    assert row["collection_method"] == "cash" and row["voucher_number"]
    early = _step(client, world, task, "invoice", number="FP-1", amount_cents=50_000)
    assert early.status_code == 409 and early.get_json()["error_code"] == "invoice_not_due"
    assert _step(client, world, task, "handed-over").get_json()["status"] == "handed_over"
    assert _step(client, world, task, "received").get_json()["status"] == "received"
    gone = client.get(f"{TASKS}?to_hand_over=true", headers=world.auth("finance")).get_json()
    assert gone["items"] == []
    invoiced = _step(
        client,
        world,
        task,
        "invoice",
        number="FP-20261204-1",
        amount_cents=50_000,
        mailed_at="2026-12-04T08:00:00Z",
    ).get_json()
    assert (invoiced["status"], invoiced["invoice_number"]) == ("closed", "FP-20261204-1")
    assert invoiced["invoice_mailed_at"] is not None and invoiced["closed_at"] is not None
    again = _step(client, world, task, "received")
    assert again.status_code == 409


def test_rol_3_finance_invoices_above_the_cap_and_closes_the_collection_task(client, world):
    _staff(client, world, "finance", "finance")
    task = _settled(client, world, 80_000)
    wrong = _step(client, world, task, "invoice", number="FP-2", amount_cents=79_000)
    assert wrong.status_code == 422
    assert wrong.get_json()["error_code"] == "invoice_amount_mismatch"
    assert _step(client, world, task, "handed-over").status_code == 409  # nothing was collected
    closed = _step(client, world, task, "invoice", number="FP-2", amount_cents=80_000)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    listed = client.get(f"{TASKS}?kind=invoice&status=closed", headers=world.auth("manager"))
    assert [t["id"] for t in listed.get_json()["items"]] == [task]


def test_rol_3_finance_only_finance_and_admin_write_and_others_are_refused(client, world):
    task = _settled(client, world, 50_000)
    for who in ("dispatcher", "manager", "quality", "tech_a"):
        assert _step(client, world, task, "handed-over", who=who).status_code == 403, who
    assert client.get(TASKS, headers=world.auth("dispatcher")).status_code == 403
    assert client.get(TASKS, headers=world.auth("tech_a")).status_code == 403
    assert _step(client, world, task, "handed-over", who="admin").status_code == 200


def test_rol_3_finance_list_is_region_scoped_keyset_paginated_in_fixed_queries(client, app, world):
    _staff(client, world, "finance", "finance")
    with session_scope() as session:
        north = Region(code="BJ", name="Beijing", timezone="Asia/Shanghai", polygon=None)
        session.add(north)
        session.flush()
        north_id = north.id
    _staff(client, world, "manager_bj", "manager", region_id=north_id)
    first = _settled(client, world, 10_000, hour=9)

    def count(path: str, who: str) -> tuple[int, dict]:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reply = client.get(path, headers=world.auth(who))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert reply.status_code == 200, reply.get_json()
        return len(statements), reply.get_json()

    one, _ = count(TASKS, "finance")
    second, third = _settled(client, world, 20_000, hour=12), _settled(client, world, 30_000, 15)
    three, page = count(f"{TASKS}?limit=2", "finance")
    assert three == one  # the voucher of each row comes in the same query
    assert [t["id"] for t in page["items"]] == [first, second]
    cursor = page["page"]["next_cursor"]
    _, rest = count(f"{TASKS}?limit=2&after={cursor}", "finance")
    assert [t["id"] for t in rest["items"]] == [third] and rest["page"]["next_cursor"] is None
    _, elsewhere = count(TASKS, "manager_bj")
    assert elsewhere["items"] == []  # another region's manager sees none of Shanghai's money
    outside = _step(client, world, first, "handed-over", who="manager_bj")
    assert outside.status_code == 403  # a manager reads; only finance and admin write
