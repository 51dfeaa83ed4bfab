"""Outbox handlers of notifications."""

from dispatch.config import active_config
from dispatch.notifications.gateway import gateway_for
from dispatch.notifications.service import deliver


def send_sms(session, message) -> str:
    """Send the SMS an outbox message points at."""
    config = active_config()
    return deliver(
        session,
        gateway_for(config),
        message.payload["sms_id"],
        send_timeout=config.sms_send_timeout_seconds,
    )
