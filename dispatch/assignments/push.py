"""Push gateways to the technician's phone: log (default), recording fake (tests), JPush (real).

As with SMS, the code talks to one small interface; the configuration picks the adapter
(`PUSH_GATEWAY`). Pushes address a technician by an alias, `tech-<id>`, which the app registers
with the provider after login.
"""

from __future__ import annotations

import base64
import fcntl
import json
import logging
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol

from dispatch.config import Config

log = logging.getLogger(__name__)


class PushNotSent(Exception):
    """The provider refused the push or was not reached; the next sweep tries again."""


class PushGateway(Protocol):
    def send(self, technician_id: int, title: str, body: str, *, client_ref: str) -> str:
        """Push one notification to the technician's phone; return the provider's reference."""


def alias(technician_id: int) -> str:
    return f"tech-{technician_id}"


class LogPushGateway:
    """The zero-configuration gateway: the worker's log shows each push."""

    def send(self, technician_id: int, title: str, body: str, *, client_ref: str) -> str:
        log.warning("PUSH to %s: %s — %s", alias(technician_id), title, body)
        return f"log-{uuid.uuid4().hex[:12]}"


class RecordingPushGateway:
    """Appends each push to a JSON-lines file, so tests read what any process pushed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def send(self, technician_id: int, title: str, body: str, *, client_ref: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            line = {"technician_id": technician_id, "title": title, "body": body}
            file.write(json.dumps(line | {"client_ref": client_ref}, ensure_ascii=False) + "\n")
        return f"rec-{client_ref}"

    @property
    def sent(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(x) for x in self.path.read_text(encoding="utf-8").splitlines() if x]


class JPushGateway:
    """JPush (极光推送) REST API v3: one notification to the technician's alias."""

    URL = "https://api.jpush.cn/v3/push"

    def __init__(self, app_key: str, master_secret: str, timeout: float) -> None:
        self.auth = base64.b64encode(f"{app_key}:{master_secret}".encode()).decode()
        self.timeout = timeout

    def payload(self, technician_id: int, title: str, body: str, client_ref: str) -> dict:
        return {
            "platform": "all",
            "audience": {"alias": [alias(technician_id)]},
            "notification": {
                "alert": body,
                "android": {"title": title, "extras": {"ref": client_ref}},
                "ios": {"extras": {"ref": client_ref}},
            },
        }

    def send(self, technician_id: int, title: str, body: str, *, client_ref: str) -> str:
        data = json.dumps(self.payload(technician_id, title, body, client_ref)).encode()
        request = urllib.request.Request(
            self.URL,
            data=data,
            headers={"Authorization": f"Basic {self.auth}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return str(json.load(response)["msg_id"])
        except (urllib.error.URLError, KeyError, ValueError) as exc:
            raise PushNotSent(f"JPush: {exc}") from exc


def push_record_file(config: Config) -> Path:
    return Path(config.push_record_path or Path(config.instance_path) / "push-recorded.jsonl")


def push_gateway_for(config: Config) -> PushGateway:
    """Return the push gateway the configuration names."""
    if config.push_gateway == "recording":
        return RecordingPushGateway(push_record_file(config))
    if config.push_gateway == "jpush":
        return JPushGateway(
            config.jpush_app_key, config.jpush_master_secret, config.sms_send_timeout_seconds
        )
    return LogPushGateway()
