"""Enumerations of the intake (REQUIREMENTS.md 'Enumerations and states')."""

JOB_REQUEST_TYPES = ("repair", "installation", "inspection")
OTHER_REQUEST_TYPES = (
    "consultation",
    "query",
    "complaint",
    "suggestion",
    "praise",
    "report",
    "return_exchange",
)
REQUEST_TYPES = JOB_REQUEST_TYPES + OTHER_REQUEST_TYPES
CHANNELS = (
    "phone",
    "sms_link",
    "technician_app",
    "web_form",
    "online_chat",
    "email",
    "walk_in",
    "letter",
    "social_media",
    "internal",
    "dealer",
    "external_body",
)
SERVICE_CLASSES = ("A", "B", "C", "D")  # paid, contract, free (incl. warranty), internal
PRIORITIES = ("high", "medium", "low")
CATEGORIES = (
    "appliance",
    "electronics",
    "hvac",
    "plumbing",
    "electrical",
    "furniture",
    "other",
)
REQUEST_STATES = ("registered", "scheduled", "in_service", "completed", "cancelled")


def creates_job(request_type: str) -> bool:
    """Return whether this type of request leads to a field job."""
    return request_type in JOB_REQUEST_TYPES
