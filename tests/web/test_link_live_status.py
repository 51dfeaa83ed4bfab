"""The customer's link page restates the reported fault and follows the job live (APT-6, APT-8)."""

from __future__ import annotations

import re

from sqlalchemy import select

from dispatch.notifications.models import SmsMessage
from tests.builders import book_visit, sms_link_token
from tests.mobile_api.helpers import act


def live_status(page: str) -> str:
    return re.search(r'id="live-status" data-status="([a-z_]+)"', page).group(1)


def test_apt_6_apt_8_link_page_restates_the_fault_and_shows_live_status(client, world, session):
    visit = book_visit(client, world)
    body = session.scalars(
        select(SmsMessage.body).where(SmsMessage.template == "appointment_confirm")
    ).one()
    url = f"/l/{sms_link_token(body)}"
    page = client.get(url).get_data(as_text=True)
    assert "Drum does not spin" in page and "KX-2200" in page  # the recorded fault, restated
    assert live_status(page) == "assigned" and "Technician assigned" in page
    tech = world.auth("tech_a")
    assert act(client, tech, visit["id"], "depart").status_code == 200
    assert live_status(client.get(url).get_data(as_text=True)) == "en_route"
    assert act(client, tech, visit["id"], "arrive", lat=31.19, lon=121.44).status_code == 200
    page = client.get(url).get_data(as_text=True)
    assert live_status(page) == "on_site" and "Technician on site" in page
