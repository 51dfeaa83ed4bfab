"""VCH-10: the customer gets a PDF copy of the archived voucher through an SMS link."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.builders import sms_link_token
from tests.vouchers.helpers import completed_voucher, countersign


def _copy_messages(sms, number: str) -> list[str]:
    return [m.body for m in sms.sent if number in m.body and "PDF" in m.body]


def test_vch_10_archiving_sends_the_customer_a_link_to_a_pdf_copy(client, world, run_worker, sms):
    voucher = completed_voucher(client, world)
    run_worker()
    assert _copy_messages(sms, voucher["number"]) == []  # not archived yet: no copy
    assert countersign(client, world, voucher["id"]).get_json()["status"] == "archived"
    run_worker()
    run_worker()  # a second pass sends nothing more
    [body] = _copy_messages(sms, voucher["number"])
    token = sms_link_token(body)
    page = client.get(f"/l/{token}")
    assert page.status_code == 303 and page.location.endswith(f"/l/{token}/voucher.pdf")
    copy = client.get(f"/l/{token}/voucher.pdf")
    assert copy.status_code == 200 and copy.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(copy.data)).pages[0].extract_text()
    assert voucher["number"] in text and "archived" in text
    assert client.get(f"/l/{token[:-2]}xx/voucher.pdf").status_code in (403, 404)


def test_prv_5_the_customers_pdf_copy_by_link_is_logged_as_customer_link(
    client, world, run_worker, sms, session
):
    from sqlalchemy import select

    from dispatch.privacy.models import AccessLogEntry

    voucher = completed_voucher(client, world)
    countersign(client, world, voucher["id"])
    run_worker()
    [body] = _copy_messages(sms, voucher["number"])
    assert client.get(f"/l/{sms_link_token(body)}/voucher.pdf").status_code == 200
    logged = session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.record == "voucher", AccessLogEntry.actor_kind == "customer_link"
        )
    ).all()
    assert [(e.record_id, e.customer_id, e.purpose) for e in logged] == [
        (voucher["id"], world.customer_id, "voucher pdf")
    ]
