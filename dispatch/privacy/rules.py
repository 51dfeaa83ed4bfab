"""Pure privacy rules: lifecycles, sensitivity labels, purposes and processors (PRV-*)."""

from __future__ import annotations

from enum import StrEnum

from dispatch.lifecycle import Lifecycle
from dispatch.visits.rules import VisitStatus


class Sensitivity(StrEnum):
    PERSONAL = "personal"  # identifies a person: name, phone, e-mail, address, notes
    SENSITIVE = "sensitive"  # PIPL art. 28: biometric-like (signature images), precise location
    INTERNAL = "internal"  # no personal data


# PRV-10: every personal field carries a label; the encrypted columns are exactly these.
FIELD_LABELS: dict[str, Sensitivity] = {
    "customer.name": Sensitivity.PERSONAL,
    "customer.phone": Sensitivity.PERSONAL,
    "customer.email": Sensitivity.PERSONAL,
    "customer.notes": Sensitivity.PERSONAL,
    "site.address": Sensitivity.PERSONAL,
    "site.lat": Sensitivity.PERSONAL,
    "site.lon": Sensitivity.PERSONAL,
    "signature.signer_name": Sensitivity.PERSONAL,
    "signature.image_png": Sensitivity.SENSITIVE,
    "technician_position.lat": Sensitivity.SENSITIVE,
    "technician_position.lon": Sensitivity.SENSITIVE,
    "web_request.phone": Sensitivity.PERSONAL,  # INT-15, until registered
    "web_request.name": Sensitivity.PERSONAL,
    "web_request.address": Sensitivity.PERSONAL,
    "web_request.lat": Sensitivity.PERSONAL,
    "web_request.lon": Sensitivity.PERSONAL,
}

PURPOSES = ("service", "marketing")
SERVICE_PURPOSE = "service"
MARKETING_PURPOSE = "marketing"
# What the privacy notice (version in the consent) says service data is used for, and how.
DEFAULT_SCOPE = "name, phone, service address, products and service history"
DEFAULT_MANNER = "stored encrypted; used to book, carry out and follow up service requests"
CONSENT_CHANNELS = ("phone", "walk_in", "web", "sms_link", "wechat", "email", "app")
LINK_CHANNEL = "link"  # PRV-1: the customer accepted the notice on their own link


def consent_terms(notice_version: str) -> dict:
    """What a customer accepts: purposes, scope and manner as the notice of this version says."""
    return {
        "purposes": [SERVICE_PURPOSE],
        "scope": DEFAULT_SCOPE,
        "manner": DEFAULT_MANNER,
        "notice_version": notice_version,
    }


# PRV-13: the processors of the privacy notice and the only fields each one receives.
PROCESSORS: dict[str, tuple[str, ...]] = {
    "sms_gateway": ("phone", "text"),
    "geocoder": ("address",),
    "routing": ("coordinates",),
}

ANONYMISED_NAME = "(erased)"
MIN_NEEDLE = 2  # shorter pieces (a one-character name) would erase ordinary words


def phone_forms(e164: str) -> set[str]:
    """The ways a phone number is written in free text: +8613800138000, 8613800138000,
    13800138000, 138 0013 8000, 138-0013-8000, +86 138 0013 8000 (PRV-9)."""
    import phonenumbers

    forms = {e164, e164.lstrip("+")}
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return {f for f in forms if f}
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    forms |= {str(number.national_number), national, international}
    forms |= {f.replace(" ", "-") for f in (national, international)}
    return {f for f in forms if f}


def scrub_text(text: str | None, needles) -> str | None:
    """The text with every occurrence of the erased customer's data replaced (PRV-9): the
    longest needles first, so a full address goes before the name inside it."""
    if not text:
        return text
    for needle in sorted({n for n in needles if n and len(n) >= MIN_NEEDLE}, key=len, reverse=True):
        text = text.replace(needle, ANONYMISED_NAME)
    return text


def scrub_json(value, needles):
    """The same for JSON values (lists and objects of free text)."""
    if isinstance(value, dict):
        return {k: scrub_json(v, needles) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v, needles) for v in value]
    if isinstance(value, str):
        return scrub_text(value, needles)
    return value


CORRECTABLE_FIELDS = ("name", "phone", "email", "address")
APPROVAL_FIELDS = ("phone", "address")  # PRV-8: staff approve before the old value is replaced


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


CHANGE_LIFECYCLE = Lifecycle(
    "data change request",
    {
        ChangeStatus.PENDING: {ChangeStatus.APPROVED, ChangeStatus.REJECTED},
        ChangeStatus.APPROVED: set(),
        ChangeStatus.REJECTED: set(),
    },
)


class ErasureStatus(StrEnum):
    REQUESTED = "requested"
    HELD = "held"  # an open complaint or an unpaid charge needs the data (reason recorded)
    DONE = "done"


ERASURE_LIFECYCLE = Lifecycle(
    "erasure request",
    {
        ErasureStatus.REQUESTED: {ErasureStatus.HELD, ErasureStatus.DONE},
        ErasureStatus.HELD: {ErasureStatus.HELD, ErasureStatus.DONE},
        ErasureStatus.DONE: set(),
    },
)

# GPS (PIPL art. 28): positions are kept only while the technician is on a visit.
TRACKED_VISIT_STATES = frozenset(
    {VisitStatus.EN_ROUTE, VisitStatus.ON_SITE, VisitStatus.IN_PROGRESS, VisitStatus.PAUSED}
)


def may_record_position(consented: bool, visit_status: str | None) -> bool:
    """Return whether a technician's position may be stored now."""
    return consented and visit_status in TRACKED_VISIT_STATES
