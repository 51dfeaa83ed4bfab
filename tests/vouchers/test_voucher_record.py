"""VCH-6: a voucher is not submitted without times, content, problem, work done, solution, parts
and result; the record it carries is bound to the signatures like the rest of its content."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import book_visit
from tests.mobile_api.helpers import RECORD, accept_estimate, completion, walk_to_site


def _on_site(client, world) -> int:
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    return visit


def test_vch_6_completion_without_result_or_problem_is_refused(client, world, session):
    visit = _on_site(client, world)
    body = completion()
    for name in ("diagnosis", "result"):
        body.pop(name)
    response = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=world.auth("tech_a"), json=body
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error_code"] == "voucher_incomplete"
    assert set(response.get_json()["details"]) == {"problem", "result"}
    assert session.get(Visit, visit).status == "on_site"
    # Only the voucher issued at dispatch (VCH-1) exists, still without a record.
    assert [v.status for v in session.scalars(select(ServiceVoucher))] == ["issued"]


def test_vch_6_voucher_carries_the_work_record_and_the_customer_signs_it(client, world):
    visit = _on_site(client, world)
    tech = world.auth("tech_a")
    etag = client.get(f"/mobile/v1/visits/{visit}", headers=tech).headers["ETag"]
    saved = client.patch(
        f"/mobile/v1/visits/{visit}/record",
        headers=tech | {"If-Match": etag},
        json={"diagnosis": "Belt worn", "work_done": "Replaced belt", "solution": "New belt"},
    )
    assert saved.status_code == 200, saved.get_json()
    body = completion(result="Runs quietly again")
    for name in ("diagnosis", "work_done", "solution"):
        body.pop(name)  # taken from the work record
    done = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    assert done.status_code == 200, done.get_json()
    manager = world.auth("manager")
    voucher_id = client.get(f"/api/v1/visits/{visit}", headers=manager).get_json()["voucher"]["id"]
    voucher = client.get(f"/api/v1/vouchers/{voucher_id}", headers=manager).get_json()
    assert (voucher["problem"], voucher["work_done"], voucher["solution"], voucher["result"]) == (
        "Belt worn",
        "Replaced belt",
        "New belt",
        "Runs quietly again",
    )
    assert voucher["status"] == "customer_signed" and voucher["customer_signature_valid"]
    # The record is signed content: correcting it voids the customer's signature (VCH-7).
    edited = client.patch(
        f"/api/v1/vouchers/{voucher_id}", headers=manager, json={"result": "Runs, some noise"}
    )
    assert edited.status_code == 200
    assert edited.get_json()["customer_signature_valid"] is False
    assert edited.get_json()["status"] == "filled"


def test_vch_6_explicit_record_on_completion_wins_over_the_work_record(client, world):
    visit = _on_site(client, world)
    tech = world.auth("tech_a")
    done = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion())
    assert done.status_code == 200, done.get_json()
    manager = world.auth("manager")
    voucher_id = client.get(f"/api/v1/visits/{visit}", headers=manager).get_json()["voucher"]["id"]
    voucher = client.get(f"/api/v1/vouchers/{voucher_id}", headers=manager).get_json()
    assert voucher["problem"] == RECORD["diagnosis"] and voucher["result"] == RECORD["result"]
