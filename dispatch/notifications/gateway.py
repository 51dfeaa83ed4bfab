"""SMS gateways: console (default), recording fake (tests), Twilio (real provider)."""

from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Protocol

from dispatch.config import Config

log = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send one text; return the provider's message reference."""


class ConsoleGateway:
    """Writes each SMS to the log: the zero-configuration gateway."""

    def send(self, to: str, body: str) -> str:
        log.warning("SMS to %s: %s", to, body)
        return f"console-{uuid.uuid4().hex[:12]}"


@dataclass
class SentSms:
    to: str
    body: str
    ref: str


class RecordingGateway:
    """Keeps sent texts in memory so tests can read them."""

    def __init__(self) -> None:
        self.sent: list[SentSms] = []
        self._lock = threading.Lock()

    def send(self, to: str, body: str) -> str:
        with self._lock:
            ref = f"rec-{len(self.sent) + 1}"
            self.sent.append(SentSms(to, body, ref))
        return ref

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()


class TwilioGateway:
    """Twilio's Messages REST API over plain HTTPS."""

    def __init__(self, account_sid: str, auth_token: str, from_number: str):
        self.url = f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.from_number = from_number

    def send(self, to: str, body: str) -> str:
        data = urllib.parse.urlencode({"To": to, "From": self.from_number, "Body": body})
        request = urllib.request.Request(
            self.url, data=data.encode(), headers={"Authorization": f"Basic {self.auth}"}
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.load(response)["sid"]


_recording = RecordingGateway()


def gateway_for(config: Config) -> SmsGateway:
    """Return the gateway the configuration names."""
    if config.sms_gateway == "recording":
        return _recording
    if config.sms_gateway == "twilio":
        return TwilioGateway(
            config.twilio_account_sid, config.twilio_auth_token, config.twilio_from_number
        )
    return ConsoleGateway()


def recording_gateway() -> RecordingGateway:
    """Return the process-wide recording fake."""
    return _recording
