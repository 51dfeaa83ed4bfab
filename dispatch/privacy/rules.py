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

# PRV-13: the processors of the privacy notice and the only fields each one receives.
PROCESSORS: dict[str, tuple[str, ...]] = {
    "sms_gateway": ("phone", "text"),
    "geocoder": ("address",),
    "routing": ("coordinates",),
}

ANONYMISED_NAME = "(erased)"
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
