"""One-time phone codes and the requests submitted with them (INT-15).

Owner: dispatch.webform. A code is stored only as a keyed hash, found by the phone's keyed hash;
a submission keeps the customer's personal fields encrypted (PRV-10) until an agent registers
it, when they move to the customer file and are cleared here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base
from dispatch.privacy.crypto import EncryptedText
from dispatch.webform.rules import (
    CODE_LIFECYCLE,
    SUBMISSION_LIFECYCLE,
    CodeStatus,
    SubmissionStatus,
)


class PhoneCode(Base):
    """A 6-digit code sent by SMS to prove the submitter holds the phone."""

    __tablename__ = "phone_codes"
    audit_entity = "phone_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of the E.164
    client_index: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of the address
    code_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(8), default=CodeStatus.SENT)
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    @property
    def used(self) -> bool:
        return self.status == CodeStatus.USED

    def wrong_try(self, max_attempts: int) -> None:
        """Count a wrong code; the last allowed one locks the code."""
        self.attempts += 1
        if self.attempts >= max_attempts:
            CODE_LIFECYCLE.check(self.status, CodeStatus.LOCKED)
            self.status = CodeStatus.LOCKED

    def use(self, at: datetime) -> None:
        CODE_LIFECYCLE.check(self.status, CodeStatus.USED)
        self.status, self.used_at = CodeStatus.USED, at

    def snapshot(self) -> dict:
        return {"status": self.status, "attempts": self.attempts}


class WebRequest(Base):
    """A request from the public web form, waiting in the intake queue."""

    __tablename__ = "web_requests"
    audit_entity = "web_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_code_id: Mapped[int] = mapped_column(ForeignKey("phone_codes.id"), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # the submitted content's hash (replays)
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.WAITING)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str | None] = mapped_column(EncryptedText)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    category: Mapped[str] = mapped_column(String(32))
    product_model: Mapped[str | None] = mapped_column(String(120))
    fault_description: Mapped[str] = mapped_column(Text)
    preferred_time: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    consent_notice_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime]
    submitted_at: Mapped[datetime] = mapped_column(index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("service_requests.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime | None]

    @property
    def waiting(self) -> bool:
        return self.status == SubmissionStatus.WAITING

    def register(self, *, request_id: int, by_user_id: int, at: datetime) -> None:
        """It became a service request: the personal fields now live in the customer file."""
        SUBMISSION_LIFECYCLE.check(self.status, SubmissionStatus.REGISTERED)
        self.status = SubmissionStatus.REGISTERED
        self.request_id, self.registered_by_id, self.registered_at = request_id, by_user_id, at
        self.phone = self.name = self.address = None
        self.lat = self.lon = None

    def erase(self, scrub) -> None:
        """The customer's data is erased (PRV-9): personal fields go, mentions in the text are
        replaced by `scrub`, and a waiting submission can no longer be registered."""
        if self.waiting:
            SUBMISSION_LIFECYCLE.check(self.status, SubmissionStatus.ERASED)
            self.status = SubmissionStatus.ERASED
        self.phone = self.name = self.address = None
        self.lat = self.lon = None
        self.fault_description = scrub(self.fault_description)
        self.preferred_time = scrub(self.preferred_time)

    def snapshot(self) -> dict:
        return {"status": self.status, "request_id": self.request_id}
