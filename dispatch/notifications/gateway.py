"""SMS gateways: console (default), recording fake (tests), Twilio (real provider).

Every send carries our own `client_ref`, recorded before the call. After a crash in the middle of
a send, `look_up(client_ref)` asks the provider whether the text arrived: it returns the
provider's reference, None when it surely did not arrive, or raises `OutcomeUnknown`.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from dispatch.config import Config, active_config

log = logging.getLogger(__name__)


class NotSent(Exception):
    """The provider surely did not take the text (refused it, or was never reached)."""


class OutcomeUnknown(Exception):
    """The provider cannot tell whether an earlier attempt reached it."""


class SmsGateway(Protocol):
    def send(self, to: str, body: str, *, client_ref: str) -> str:
        """Send one text; return the provider's message reference."""

    def look_up(self, client_ref: str) -> str | None:
        """Return the provider's reference of an earlier send, or None if it never arrived."""


class ConsoleGateway:
    """The zero-configuration gateway: a local inbox file stands in for the customer's phone.

    The text, with its live link, goes only to the inbox file (this user only, mode 600), so a
    developer can open the customer pages; the log gets a line with the phone masked.
    """

    def __init__(self, inbox: Path) -> None:
        self.inbox = Path(inbox)

    def send(self, to: str, body: str, *, client_ref: str) -> str:
        self.inbox.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.inbox, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as file:
            file.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')}  to {to}\n{body}\n\n")
        log.warning("SMS to %s: %s (full text in %s)", to, body, self.inbox)
        return f"console-{uuid.uuid4().hex[:12]}"

    def look_up(self, client_ref: str) -> str | None:
        # The log keeps nothing to ask; a repeated log line harms no one.
        return None


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    ref: str
    client_ref: str = ""


class RecordingGateway:
    """Appends each text to a file, so tests read what any process sent (the fake of tests).

    `latency` waits before and after recording, like a slow provider, so fault tests can stop a
    worker on either side of the moment the text arrives.
    """

    def __init__(self, path: Path, latency: float = 0.0) -> None:
        self.path = Path(path)
        self.latency = latency

    def send(self, to: str, body: str, *, client_ref: str) -> str:
        time.sleep(self.latency)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.seek(0)
            ref = f"rec-{sum(1 for _ in file) + 1}"
            line = {"to": to, "body": body, "ref": ref, "client_ref": client_ref}
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
            file.flush()
        time.sleep(self.latency)
        return ref

    def look_up(self, client_ref: str) -> str | None:
        return next((s.ref for s in self.sent if s.client_ref == client_ref), None)

    @property
    def sent(self) -> list[SentSms]:
        """Every text sent so far, oldest first."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_SH)
            return [SentSms(**json.loads(line)) for line in file if line.strip()]

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class TwilioGateway:
    """Twilio's Messages REST API over plain HTTPS."""

    def __init__(self, account_sid: str, auth_token: str, from_number: str, timeout: float):
        self.url = f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.from_number = from_number
        self.timeout = timeout

    def send(self, to: str, body: str, *, client_ref: str) -> str:
        data = urllib.parse.urlencode({"To": to, "From": self.from_number, "Body": body})
        request = urllib.request.Request(
            self.url, data=data.encode(), headers={"Authorization": f"Basic {self.auth}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)["sid"]
        except urllib.error.HTTPError as exc:  # Twilio answered with an error: nothing was sent
            raise NotSent(f"Twilio answered {exc.code}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError | socket.gaierror):
                raise NotSent(f"Twilio not reached: {exc.reason}") from exc
            raise  # e.g. a timeout: the text may have arrived; the next attempt asks first

    def look_up(self, client_ref: str) -> str | None:
        # Twilio's Messages API keeps no client reference to search by.
        raise OutcomeUnknown("Twilio cannot be asked whether an interrupted send arrived")


def gateway_for(config: Config) -> SmsGateway:
    """Return the gateway the configuration names."""
    if config.sms_gateway == "recording":
        return RecordingGateway(config.sms_record_file, config.sms_fake_latency_seconds)
    if config.sms_gateway == "twilio":
        return TwilioGateway(
            config.twilio_account_sid,
            config.twilio_auth_token,
            config.twilio_from_number,
            config.sms_send_timeout_seconds,
        )
    return ConsoleGateway(Path(config.instance_path) / "sms-inbox.txt")


def recording_gateway() -> RecordingGateway:
    """Return the recording fake of the active configuration (tests read what was sent)."""
    config = active_config()
    return RecordingGateway(config.sms_record_file, config.sms_fake_latency_seconds)
