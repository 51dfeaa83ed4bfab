"""Outbox handlers of vouchers."""

from dispatch.config import active_config
from dispatch.vouchers.copies import send_copy
from dispatch.vouchers.signing import send_request


def send_sign_request(session, message) -> str:
    """Send the signing link an outbox message points at."""
    return send_request(session, config=active_config(), **message.payload)


def send_customer_copy(session, message) -> str:
    """Send the customer the link to their archived voucher's PDF."""
    return send_copy(session, config=active_config(), **message.payload)
