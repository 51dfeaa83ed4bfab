"""Outbox handlers of booking."""

from dispatch.booking.service import send_reminder as send
from dispatch.config import active_config


def send_reminder(session, message) -> str:
    """Send the day-before reminder an outbox message points at."""
    return send(session, config=active_config(), **message.payload)
