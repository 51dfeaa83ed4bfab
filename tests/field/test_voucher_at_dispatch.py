"""VCH-1: dispatching a job issues its service voucher; completion fills that same voucher."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import book_visit
from tests.mobile_api.helpers import accept_estimate, completion, walk_to_site


def test_vch_1_dispatch_issues_a_numbered_voucher_shown_in_the_technician_app(
    client, world, session
):
    """VCH-1: unique number, linked to the job, its customer and the service class, in the app."""
    first = book_visit(client, world, tech="tech_a")
    second = book_visit(client, world, tech="tech_b")
    vouchers = {v.visit_id: v for v in session.scalars(select(ServiceVoucher))}
    assert set(vouchers) == {first["id"], second["id"]}
    issued = vouchers[first["id"]]
    visit = session.get(Visit, first["id"])
    assert issued.status == "issued" and issued.number.startswith("SV")
    assert issued.number != vouchers[second["id"]].number
    assert issued.service_class == visit.request.service_class
    assert issued.visit.request.customer_id == world.customer_id
    shown = client.get(f"/mobile/v1/visits/{first['id']}", headers=world.auth("tech_a"))
    assert shown.get_json()["voucher_number"] == issued.number
    assert shown.get_json()["voucher_status"] == "issued"
    staff = client.get(f"/api/v1/visits/{first['id']}", headers=world.auth("dispatcher"))
    assert staff.status_code == 200 and staff.get_json()["voucher"]["number"] == issued.number
    pdf = client.get(f"/mobile/v1/visits/{first['id']}/voucher.pdf", headers=world.auth("tech_a"))
    assert pdf.status_code == 404  # nothing to print before the work is recorded


def test_vch_1_completion_fills_the_voucher_issued_at_dispatch(client, world, session):
    """VCH-1/VCH-6: one voucher per job, issued at dispatch and filled with the work record."""
    visit = book_visit(client, world, tech="tech_a")["id"]
    number = session.scalars(select(ServiceVoucher.number)).one()
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    done = client.post(
        f"/mobile/v1/visits/{visit}/complete",
        headers=tech | {"Idempotency-Key": "vch-1-complete"},
        json=completion(),
    )
    assert done.status_code == 200, done.get_json()
    session.expire_all()
    voucher = session.scalars(select(ServiceVoucher)).one()
    assert voucher.number == number and voucher.status in {"filled", "customer_signed"}
    assert voucher.result and voucher.problem and voucher.started_at and voucher.ended_at
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "voucher").order_by(AuditEntry.id)
    ).all()
    assert actions[:2] == ["voucher.issued", "voucher.filled"]
