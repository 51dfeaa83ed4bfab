"""What the appointment link pages do: track, reschedule, cancel, add to calendar."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from dispatch.actors import customer_actor
from dispatch.booking import service as booking
from dispatch.booking.eta import eta
from dispatch.config import Config
from dispatch.errors import RuleViolation
from dispatch.links import service as links
from dispatch.links.models import CustomerLink
from dispatch.visits.rules import format_window
from dispatch.visits.service import local_clock, timezone_of


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def actions(session: Session, config: Config, link: CustomerLink) -> dict[str, str]:
    """Return the tokens of the actions the customer may still take, by purpose."""
    if not link.visit.waiting:
        return {}
    return links.live_tokens(session, secret_key=config.secret_key, visit_id=link.visit_id)


def eta_text(link: CustomerLink, config: Config) -> str | None:
    """Return the local arrival time once the technician is on the way."""
    return local_clock(eta(link.visit, config), link.visit, config)


def free_choices(session: Session, config: Config, link: CustomerLink) -> list[Choice]:
    """Return the free windows the visit may move to, as form choices."""
    tz = ZoneInfo(timezone_of(link.visit, config))
    return [
        Choice(p.window_start.isoformat(), format_window(p.window_start, p.window_end, tz))
        for p in booking.slots_for_visit(session, config, link.visit)
        if p.window_start != link.visit.window_start  # moving to the same time is no move
    ]


def reschedule(session: Session, config: Config, token: str, chosen: str) -> dict[str, str]:
    """Move the visit to the chosen window, if it is still free; return the live tokens."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose="reschedule")
    picked = next(
        (
            p
            for p in booking.slots_for_visit(session, config, link.visit)
            if p.window_start.isoformat() == chosen
        ),
        None,
    )
    if picked is None:
        raise RuleViolation(
            "That time is no longer free; please choose another", error_code="window_not_free"
        )
    booking.reschedule(
        session=session,
        actor=customer_actor(link.customer_id),
        config=config,
        visit=link.visit,
        window_start=picked.window_start,
        window_end=picked.window_end,
    )
    return links.live_tokens(session, secret_key=config.secret_key, visit_id=link.visit_id)


def cancel(session: Session, config: Config, token: str, reason: str):
    """Cancel the visit with the customer's reason."""
    link = links.resolve(session, secret_key=config.secret_key, token=token, purpose="cancel")
    if len(reason.strip()) < 2:
        raise RuleViolation("Please tell us why", error_code="reason_required")
    return booking.cancel(
        session=session,
        actor=customer_actor(link.customer_id),
        config=config,
        visit=link.visit,
        reason=reason.strip()[:500],
        by_customer=True,
    )


def calendar_file(link: CustomerLink, address: str) -> bytes:
    """Return an iCalendar file with the visit's window (masked address, PRV-11)."""
    visit = link.visit
    event = Event()
    event.add("uid", f"{visit.number}@field-dispatch")
    event.add("summary", f"Service visit {visit.number}")
    event.add("dtstart", visit.window_start)
    event.add("dtend", visit.window_end)
    event.add("location", address)
    if visit.technician:
        event.add("description", f"Technician: {visit.technician.name}")
    calendar = Calendar()
    calendar.add("prodid", "-//field-dispatch//appointments//")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()


def signature_image(data_url: str) -> bytes:
    """Decode the PNG a signature canvas posts as a data URL (422 when it is not one)."""
    prefix = "data:image/png;base64,"
    try:
        if not data_url.startswith(prefix):
            raise ValueError("not a PNG data URL")
        return base64.b64decode(data_url[len(prefix) :], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise RuleViolation("Please sign in the box", error_code="bad_signature") from exc
