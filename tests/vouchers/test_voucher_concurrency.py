"""VCH-9/VCH-10 under load: a signature and a countersignature at the same instant archive."""

from __future__ import annotations

import base64
import threading
import uuid

from sqlalchemy import func, select

from dispatch.audit import AuditEntry
from dispatch.db import db
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import png_bytes, sms_link_token
from tests.vouchers.helpers import completed_voucher

PAIRS = [(tech, hour) for tech in ("tech_a", "tech_b") for hour in (9, 11, 13, 15)]


def _customer_signs(app, world, voucher: dict, token: str | None):
    """Sign as the customer: from the SMS link page, or on the technician's phone."""
    client = app.test_client()
    if token is not None:
        image = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
        return client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": image})
    return client.post(
        f"/mobile/v1/visits/{voucher['visit_id']}/voucher/signature",
        headers=world.auth(voucher["tech"]) | {"Idempotency-Key": uuid.uuid4().hex},
        json={"signer_name": "Wang", "image": base64.b64encode(png_bytes()).decode()},
    )


def _manager_countersigns(app, world, voucher: dict):
    return app.test_client().post(
        f"/api/v1/vouchers/{voucher['id']}/countersign",
        headers=world.auth("manager"),
        json={"signer_name": "Manager Zhou", "image": base64.b64encode(png_bytes()).decode()},
    )


def _at_the_same_instant(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        finally:
            db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_vch_9_simultaneous_signature_and_countersignature_always_archive(
    app, client, world, session, run_worker, sms
):
    vouchers = [
        completed_voucher(client, world, signed=False, hour=hour, tech=tech) | {"tech": tech}
        for tech, hour in PAIRS
    ]
    run_worker()  # sends the absent customers their signing links
    requests = [m.body for m in sms.sent if "sign service voucher" in m.body]
    links = {v["number"]: sms_link_token(b) for b in requests for v in vouchers if v["number"] in b}
    for index, voucher in enumerate(vouchers):
        by_link = links[voucher["number"]] if index % 2 else None  # both customer paths
        customer, manager = _at_the_same_instant(
            lambda v=voucher, t=by_link: _customer_signs(app, world, v, t),
            lambda v=voucher: _manager_countersigns(app, world, v),
        )
        assert (customer.status_code, manager.status_code) == (200, 200), (
            customer.get_data(as_text=True),
            manager.get_data(as_text=True),
        )
    session.expire_all()
    stored = session.scalars(select(ServiceVoucher).order_by(ServiceVoucher.id)).all()
    assert [v.status for v in stored] == ["archived"] * len(PAIRS)
    for voucher in stored:
        assert voucher.has_valid_signature("customer") and voucher.has_valid_signature("manager")
    assert all(v.archived_at is not None for v in stored)
    signed_rows = select(func.count()).where(
        AuditEntry.action.in_(("voucher.customer_signed", "voucher.manager_signed"))
    )
    assert session.scalar(signed_rows) == 2 * len(PAIRS)

    refused = client.patch(
        f"/api/v1/vouchers/{stored[0].id}", headers=world.auth("manager"), json={"fee_cents": 99999}
    )
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "voucher_archived"
    session.refresh(stored[0])
    assert stored[0].fee_cents == 18000


def test_vch_10_an_edit_racing_a_countersignature_never_leaves_a_changed_archive(
    app, client, world, session
):
    voucher = completed_voucher(client, world)  # customer signed on site
    edit, countersign = _at_the_same_instant(
        lambda: app.test_client().patch(
            f"/api/v1/vouchers/{voucher['id']}",
            headers=world.auth("admin"),
            json={"fee_cents": 99999},
        ),
        lambda: _manager_countersigns(app, world, voucher),
    )
    assert {edit.status_code, countersign.status_code} <= {200, 409}
    stored = session.get(ServiceVoucher, voucher["id"])
    if stored.is_archived:  # the countersignature came first: the edit was refused
        assert edit.status_code == 409 and stored.fee_cents == 18000
    else:  # the edit came first: it voided the customer's signature, so no archive
        assert edit.status_code == 200 and stored.fee_cents == 99999
        assert stored.status == "countersigned" and not stored.has_valid_signature("customer")
