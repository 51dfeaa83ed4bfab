"""Signature images that do not decode are refused (VCH-7, VCH-8, VCH-9); the PDF survives old
ones (VCH-10); the public check needs the full printed code; a cancelled job voids its voucher."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.clock import utcnow
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher, VoucherSignature
from tests.builders import book_visit, png_bytes, sms_link_token
from tests.mobile_api.helpers import accept_estimate, completion, walk_to_site
from tests.vouchers.helpers import completed_voucher, countersign

# What an outside client sent: the PNG magic bytes, then noise.
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + bytes((i * 37) % 256 for i in range(600))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _assert_error_shape(response, status: int, error_code: str) -> None:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"code", "status", "message", "error_code", "details"}
    assert body["error_code"] == error_code


def test_vch_7_completion_with_an_undecodable_signature_is_refused_with_422(client, world, session):
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    body = completion(signature={"signer_name": "Wang", "image": _b64(FAKE_PNG)})
    response = client.post(f"/mobile/v1/visits/{visit}/complete", headers=tech, json=body)
    _assert_error_shape(response, 422, "bad_signature")
    assert "signature.image" in response.get_json()["details"]
    assert session.get(Visit, visit).status == "on_site"  # nothing of it was kept
    # nothing half-saved: only the voucher issued at dispatch (VCH-1), still empty
    assert [v.status for v in session.scalars(select(ServiceVoucher))] == ["issued"]


def test_vch_8_signing_link_refuses_an_undecodable_signature(
    client, world, session, run_worker, sms
):
    voucher = completed_voucher(client, world, signed=False)
    run_worker()
    token = sms_link_token(next(m.body for m in sms.sent if "sign service voucher" in m.body))
    image = "data:image/png;base64," + _b64(FAKE_PNG)
    refused = client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": image})
    assert refused.status_code == 422
    assert session.scalars(select(VoucherSignature)).first() is None
    good = "data:image/png;base64," + _b64(png_bytes())
    signed = client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": good})
    assert signed.status_code == 200
    assert session.get(ServiceVoucher, voucher["id"]).has_valid_signature("customer")


def test_vch_9_countersignature_with_an_undecodable_image_is_refused(client, world):
    voucher = completed_voucher(client, world)
    response = client.post(
        f"/api/v1/vouchers/{voucher['id']}/countersign",
        headers=world.auth("manager"),
        json={"signer_name": "Manager Zhou", "image": _b64(FAKE_PNG)},
    )
    _assert_error_shape(response, 422, "bad_signature")


def test_vch_10_pdf_still_renders_when_a_stored_signature_image_is_bad(client, world, session):
    voucher = completed_voucher(client, world)
    countersign(client, world, voucher["id"])
    stored = session.scalars(select(VoucherSignature).where(VoucherSignature.role == "customer"))
    stored.one().image_png = FAKE_PNG  # kept before images were decoded on input
    session.commit()
    response = client.get(f"/api/v1/vouchers/{voucher['id']}/pdf", headers=world.auth("manager"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "unreadable" in text and "Manager Zhou" in text and voucher["number"] in text


def test_vch_10_verification_page_without_the_code_says_it_cannot_verify_the_copy(client, world):
    voucher = completed_voucher(client, world)
    html = client.get(f"/v/{voucher['number']}?lang=en").get_data(as_text=True)
    assert "cannot be verified" in html
    assert "changed" not in html and "Genuine" not in html


def test_verification_needs_the_full_code_from_the_voucher_json(client, world):
    voucher = completed_voucher(client, world)
    url = voucher["verification_url"]
    code = voucher["content_hash"][:16]
    assert url == f"http://testserver/v/{voucher['number']}?h={code}"
    path = url.removeprefix("http://testserver")
    assert "Genuine" in client.get(f"{path}&lang=en").get_data(as_text=True)
    for guess in (code[:1], code[:8], code[:15], "0" * 16):
        html = client.get(f"/v/{voucher['number']}?h={guess}&lang=en").get_data(as_text=True)
        assert "Genuine" not in html and "content has changed" in html, guess


def test_cancelling_a_visit_voids_its_unsigned_voucher(client, world, session):
    visit_id = book_visit(client, world)["id"]
    visit = session.get(Visit, visit_id)
    # The voucher is issued at dispatch (VCH-1); filled ahead of the work, nobody signed it.
    voucher = visit.voucher
    assert voucher.status == "issued"
    start = utcnow() + timedelta(days=1)
    voucher.fill(
        service_class="A",
        started_at=start,
        ended_at=start + timedelta(hours=1),
        service_content="Planned: replace the drive belt",
        parts=[],
        labour_minutes=60,
        fee_cents=0,
        problem="Drum does not turn",
        work_done="Nothing yet",
        solution="Replace the drive belt",
        result="Pending",
    )
    session.add(voucher)
    session.commit()
    response = client.post(
        f"/api/v1/visits/{visit_id}/cancel",
        headers=world.auth("dispatcher"),
        json={"reason": "Customer sold the machine"},
    )
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    assert session.get(ServiceVoucher, voucher.id).status == "void"
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "voucher.voided"))
    assert audited.one().after["status"] == "void"
