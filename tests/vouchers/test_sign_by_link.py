"""VCH-8: a customer who was not there signs the voucher later from an SMS link (72 h)."""

import base64
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from dispatch.clock import utcnow
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import book_visit, png_bytes, sms_link_token
from tests.mobile_api.helpers import RECORD


def complete_without_signature(client, world) -> dict:
    visit = book_visit(client, world)
    tech = world.auth("tech_a")
    for step in ("depart", "arrive"):
        reply = client.post(
            f"/mobile/v1/visits/{visit['id']}/{step}",
            headers=tech,
            json={"device_time": datetime.now(UTC).isoformat()},
        )
        assert reply.status_code == 200, reply.get_json()
    done = client.post(
        f"/mobile/v1/visits/{visit['id']}/complete",
        headers=tech,
        json={
            "device_time": datetime.now(UTC).isoformat(),
            "service_content": "Cleaned the pump",
            **RECORD,
            "no_signature": {"reason": "customer_absent"},
        },
    )
    assert done.status_code == 200, done.get_json()
    return visit


def sign_link(sms) -> str:
    return sms_link_token(next(m.body for m in sms.sent if "sign service voucher" in m.body))


def test_vch_8_absent_customer_gets_a_link_and_signs_once(client, world, session, run_worker, sms):
    complete_without_signature(client, world)
    run_worker()
    token = sign_link(sms)
    page = client.get(f"/l/{token}?lang=en")
    assert page.status_code == 200 and "Cleaned the pump" in page.get_data(as_text=True)
    bad = client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": "hello"})
    assert bad.status_code == 422
    image = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    signed = client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": image})
    assert signed.status_code == 200
    voucher = session.scalars(select(ServiceVoucher)).one()
    assert voucher.has_valid_signature("customer")
    assert voucher.signature_of("customer").signer_name == "Li"
    assert voucher.visit.needs_manager_review is False
    again = client.post(f"/l/{token}/sign", data={"signer_name": "Li", "image": image})
    assert again.status_code == 403  # the link is spent


def test_vch_8_signing_link_expires_after_72_hours(client, world, run_worker, sms):
    complete_without_signature(client, world)
    run_worker()
    token = sign_link(sms)
    with time_machine.travel(utcnow() + timedelta(hours=73)):
        assert client.get(f"/l/{token}").status_code == 410


def test_vch_8_customer_draws_the_signature_in_a_browser(
    client, world, session, run_worker, sms, live_server, browser_page, screenshot
):
    complete_without_signature(client, world)
    run_worker()
    page = browser_page
    page.goto(f"{live_server}/l/{sign_link(sms)}?lang=en")
    page.fill("input[name=signer_name]", "Wang Fang")
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 60)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 60 + (step % 3) * 20)
    page.mouse.up()
    assert screenshot(page, "voucher-sign").stat().st_size > 5_000
    page.click("#submit-signature")
    page.wait_for_selector("#done")
    voucher = session.scalars(select(ServiceVoucher)).one()
    signature = voucher.signature_of("customer")
    assert signature.signer_name == "Wang Fang" and voucher.has_valid_signature("customer")
    assert signature.image_png.startswith(b"\x89PNG") and len(signature.image_png) > 1_000
