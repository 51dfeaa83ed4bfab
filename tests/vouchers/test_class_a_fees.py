"""Class A: estimate accepted before work; fee collected on site up to the cap, else invoiced."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.payments.models import InvoiceTask
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import book_visit, release_visit, repair_request
from tests.mobile_api.helpers import QUOTE, accept_estimate, act, completion, new_key, walk_to_site


def _complete(client, world, **body):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    response = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(**body)
    )
    assert response.status_code == 200, response.get_json()
    return visit


def test_vch_3_paid_work_does_not_start_before_the_quote_is_accepted(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)
    refused = act(client, tech, visit, "start")
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "quote_not_accepted"
    assert act(client, tech, visit, "quote", key=new_key(), **QUOTE).status_code == 200
    drafted_only = act(client, tech, visit, "start")
    assert drafted_only.status_code == 422
    assert drafted_only.get_json()["error_code"] == "quote_not_accepted"
    accept_estimate(client, tech, visit)
    started = act(client, tech, visit, "start").get_json()
    assert started["status"] == "in_progress" and started["estimate_cents"] == 18000


def test_vch_14_fee_up_to_the_cap_is_collected_on_site(client, world, session):
    _complete(client, world, fee_cents=50_000, collection_method="wechat")
    voucher = session.scalars(select(ServiceVoucher)).one()
    assert (voucher.settlement, voucher.collected_cents, voucher.collection_method) == (
        "collected",
        50_000,
        "wechat",
    )
    task = session.scalars(select(InvoiceTask)).one()
    assert (task.kind, task.amount_cents) == ("mail_invoice", 50_000)  # 补寄发票


def test_vch_14_fee_above_the_cap_becomes_an_invoice_task_for_finance(client, world, session):
    _complete(client, world, fee_cents=50_001, collection_method="cash")
    voucher = session.scalars(select(ServiceVoucher)).one()
    assert voucher.settlement == "invoice" and voucher.collected_cents is None
    assert session.scalars(select(InvoiceTask.kind)).one() == "invoice"
    kinds = session.scalars(select(StaffAlert.kind)).all()
    assert kinds == ["finance_invoice"]


def test_vch_13_only_class_a_is_charged(client, world, session):
    request = repair_request(client, world, service_class="C")
    assert request["service_class"] == "C"
    visit = client.post(
        f"/api/v1/requests/{request['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_a"],
            "window_start": "2030-01-07T10:00:00+08:00",
            "window_end": "2030-01-07T12:00:00+08:00",
        },
    ).get_json()["id"]
    release_visit(client, world, visit)
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    no_quote = act(client, tech, visit, "quote", key=new_key(), **QUOTE)
    assert no_quote.status_code == 409 and no_quote.get_json()["error_code"] == "not_class_a"
    charged = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(fee_cents=100)
    )
    assert charged.status_code == 422 and charged.get_json()["error_code"] == "not_charged"
    free = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(fee_cents=0)
    )
    assert free.status_code == 200
    assert session.scalars(select(InvoiceTask)).first() is None


def test_vch_3_no_fee_without_an_accepted_quote(client, world, session):
    visit, tech = book_visit(client, world)["id"], world.auth("tech_a")
    walk_to_site(client, tech, visit)  # straight from arrival to completion, no estimate
    refused = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(fee_cents=18_000)
    )
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "quote_not_accepted"
    # nothing half-saved: only the voucher issued at dispatch (VCH-1), still empty
    assert [v.status for v in session.scalars(select(ServiceVoucher))] == ["issued"]
    free = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(fee_cents=0)
    )
    assert free.status_code == 200
