"""Outbox handlers of notifications."""

from dispatch.config import active_config
from dispatch.notifications.gateway import gateway_for
from dispatch.notifications.service import deliver


def send_sms(session, message) -> str:
    """Send the SMS an outbox message points at."""
    return deliver(session, gateway_for(active_config()), message.payload["sms_id"])
