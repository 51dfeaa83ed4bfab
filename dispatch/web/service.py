"""What the customer link pages read and do, with personal data masked (PRV-11)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dispatch.actors import customer_actor, link_viewer
from dispatch.booking import service as booking
from dispatch.config import Config
from dispatch.customers.rules import mask_address, mask_name, mask_phone
from dispatch.followups import service as followups
from dispatch.links import service as links
from dispatch.links.models import CustomerLink
from dispatch.privacy import service as privacy
from dispatch.visits import rules as visit_rules
from dispatch.visits import service as visits


@dataclass(frozen=True)
class AppointmentView:
    number: str
    window: str
    technician: str
    customer: str
    phone: str
    address: str
    appointment_status: str
    visit_status: str
    language: str
    fault: str = ""  # the recorded fault, restated to the customer (APT-6, INT-6)
    product: str = ""
    live_status: str = "booked"  # booked, assigned, en_route, on_site, done (APT-8)


def open_link(session: Session, config: Config, token: str, purpose: str) -> CustomerLink:
    """Resolve a token for one purpose (LinkInvalid otherwise)."""
    return links.resolve(session, secret_key=config.secret_key, token=token, purpose=purpose)


def appointment_view(link: CustomerLink, config: Config) -> AppointmentView:
    """Return the masked view of the visit behind a link."""
    visit = link.visit
    request = visit.request
    customer = request.customer
    return AppointmentView(
        number=visit.number,
        window=visits.window_text(visit, config),
        technician=visit.technician.name if visit.technician else "",
        customer=mask_name(customer.name),
        phone=mask_phone(customer.phone),
        address=mask_address(request.site.address) if request.site else "",
        appointment_status=visit.appointment.status,
        visit_status=visit.status,
        language=customer.language,
        fault=request.fault_description,
        product=request.product_model or "",
        live_status=visit_rules.live_status(visit.status, visit.technician_id is not None),
    )


# PRV-5: what the appointment page and its calendar file show of the customer, all masked.
PAGE_FIELDS = ["customer.name:masked", "customer.phone:masked", "site.address:masked"]
CALENDAR_FIELDS = ["site.address:masked"]


def log_view(link: CustomerLink, fields: list[str], page: str) -> None:
    """Log that a link page showed the customer's personal data, even masked (PRV-5)."""
    privacy.log_read_now(
        link_viewer(link.customer_id),
        customer_ids=[link.customer_id],
        fields=fields,
        purpose=f"customer link page ({page})",
        record="visit",
        record_ids=[link.visit_id],
    )


def confirm(session: Session, config: Config, token: str) -> CustomerLink:
    """Confirm the appointment behind an appointment link."""
    link = open_link(session, config, token, "appointment")
    booking.confirm_by_customer(
        session=session, actor=customer_actor(link.customer_id), visit=link.visit, config=config
    )
    return link


def rate(session: Session, config: Config, token: str, survey: dict):
    """Store the customer's survey answer behind a follow-up link."""
    link = open_link(session, config, token, "followup")
    return followups.answer(
        session,
        actor=customer_actor(link.customer_id),
        config=config,
        visit=link.visit,
        survey=survey,
    )
