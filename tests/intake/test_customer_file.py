"""The customer file at intake: earlier requests, jobs, vouchers, complaints and special notes
of the caller, region-scoped, in a fixed number of queries (INT-5, INT-7)."""

from __future__ import annotations

from sqlalchemy import event

from dispatch.complaints.records import SpecialNote
from dispatch.db import db, session_scope
from tests.builders import book_visit, repair_request
from tests.complaints.helpers import file_complaint


def test_int_5_int_7_customer_file_shows_earlier_requests_jobs_complaints_and_notes(client, world):
    earlier = repair_request(client, world, fault_description="Door seal leaks")
    visit = book_visit(client, world)
    complaint = file_complaint(client, world)
    with session_scope() as session:
        session.add(
            SpecialNote(
                customer_id=world.customer_id,
                complaint_id=complaint["id"],
                note="Call before arriving; elderly customer",
            )
        )
    reply = client.get(
        f"/api/v1/requests/customer-file/{world.customer_id}", headers=world.auth("dispatcher")
    )
    assert reply.status_code == 200, reply.get_json()
    file = reply.get_json()
    assert file["customer"]["phone"] == "+8613800138000"
    assert [r["id"] for r in file["requests"]] == [visit["request_id"], earlier["id"]]
    assert file["requests"][1]["fault_description"] == "Door seal leaks"
    assert [v["id"] for v in file["visits"]] == [visit["id"]]
    assert [c["number"] for c in file["complaints"]] == [complaint["number"]]
    assert [n["note"] for n in file["special_notes"]] == ["Call before arriving; elderly customer"]
    assert isinstance(file["vouchers"], list)
    unknown = client.get("/api/v1/requests/customer-file/999999", headers=world.auth("dispatcher"))
    assert unknown.status_code == 404
    technician = client.get(
        f"/api/v1/requests/customer-file/{world.customer_id}", headers=world.auth("tech_a")
    )
    assert technician.status_code in (401, 403)


def test_int_7_customer_file_loads_in_a_fixed_number_of_queries(client, app, world):
    def count() -> int:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reply = client.get(
                f"/api/v1/requests/customer-file/{world.customer_id}",
                headers=world.auth("dispatcher"),
            )
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert reply.status_code == 200
        return len(statements)

    book_visit(client, world)
    few = count()
    for _ in range(3):
        repair_request(client, world)
        file_complaint(client, world)
    assert count() == few
