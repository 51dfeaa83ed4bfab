"""Outbox handlers of follow-ups."""

from dispatch.config import active_config
from dispatch.followups.service import send


def send_followup(session, message) -> str:
    """Send the follow-up an outbox message points at."""
    return send(session, config=active_config(), followup_id=message.payload["followup_id"])
