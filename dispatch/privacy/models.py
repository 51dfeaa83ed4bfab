"""Privacy records: consents, the personal-data access log, disclosures, search terms, rights
requests and technicians' location consent (PRV-1, 2, 5, 7–10, 13; PIPL art. 28)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.privacy.crypto import EncryptedText
from dispatch.privacy.rules import (
    CHANGE_LIFECYCLE,
    ERASURE_LIFECYCLE,
    ChangeStatus,
    ErasureStatus,
)


class ConsentRecord(Base):
    """One consent given (or withdrawn) by a customer, as the notice of its version put it."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    purposes: Mapped[list]  # e.g. ["service"], ["marketing"]
    scope: Mapped[str] = mapped_column(String(500))  # which data
    manner: Mapped[str] = mapped_column(String(500))  # how it is used
    channel: Mapped[str] = mapped_column(String(32))  # phone (agent, verbal), sms_link, ...
    notice_version: Mapped[str] = mapped_column(String(16))
    given: Mapped[bool] = mapped_column(default=True)  # False: a withdrawal
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_kind: Mapped[str] = mapped_column(String(16))  # user | customer | system
    recorded_by_id: Mapped[int | None]


class AccessLogEntry(Base):
    """Who read or wrote which personal fields of which record, why and when (PRV-5).

    Append-only: on PostgreSQL a trigger refuses every UPDATE and DELETE (migration 0018).
    It never holds the values themselves, only field names.
    """

    __tablename__ = "personal_data_access"
    __table_args__ = (Index("ix_personal_data_access_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    actor_role: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[int | None]  # no foreign key: the log outlives nothing it names
    record: Mapped[str] = mapped_column(String(32))  # customer | site | signature | ...
    record_id: Mapped[int | None]
    fields: Mapped[list]
    action: Mapped[str] = mapped_column(String(16))  # read | create | update | export | erase
    purpose: Mapped[str] = mapped_column(String(64))


class Disclosure(Base):
    """Personal data handed to a processor of the privacy notice (PRV-13)."""

    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    processor: Mapped[str] = mapped_column(String(32), index=True)
    customer_id: Mapped[int | None] = mapped_column(index=True)
    fields: Mapped[list]
    reference: Mapped[str | None] = mapped_column(String(64))  # e.g. "sms:12", "plan:3"


class CustomerSearchTerm(Base):
    """A keyed hash of one piece of a customer's name, phone or address (blind index)."""

    __tablename__ = "customer_search_terms"
    __table_args__ = (Index("ix_customer_search_terms_term", "term", "customer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    term: Mapped[str] = mapped_column(String(64))


class DataChangeRequest(Base):
    """A customer's correction of their data; phone and address wait for staff (PRV-7, PRV-8)."""

    __tablename__ = "data_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    new_value: Mapped[str | None] = mapped_column(EncryptedText)
    via: Mapped[str] = mapped_column(String(8))  # link | staff
    status: Mapped[str] = mapped_column(String(16), default=ChangeStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def decide(self, approve: bool, *, by_id: int | None, at: datetime) -> None:
        to = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
        CHANGE_LIFECYCLE.check(self.status, to)
        self.status, self.decided_by_id, self.decided_at = to, by_id, at

    def forget_value(self) -> None:
        self.new_value = None

    @property
    def pending(self) -> bool:
        return self.status == ChangeStatus.PENDING


class ErasureRequest(Base):
    """A deletion request or a retention expiry, and what became of it (PRV-9)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    cause: Mapped[str] = mapped_column(String(16))  # request | retention
    via: Mapped[str] = mapped_column(String(8))  # link | staff | system
    status: Mapped[str] = mapped_column(String(16), default=ErasureStatus.REQUESTED)
    held_reason: Mapped[str | None] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    retry_at: Mapped[datetime | None] = mapped_column(index=True)  # held: next try (sweep)

    def hold(self, reason: str, *, retry_at: datetime) -> None:
        ERASURE_LIFECYCLE.check(self.status, ErasureStatus.HELD)
        self.status, self.held_reason, self.retry_at = ErasureStatus.HELD, reason, retry_at

    def finish(self, at: datetime) -> None:
        ERASURE_LIFECYCLE.check(self.status, ErasureStatus.DONE)
        self.status, self.done_at, self.retry_at = ErasureStatus.DONE, at, None

    @property
    def open(self) -> bool:
        return self.status != ErasureStatus.DONE


class LocationConsent(Base):
    """A technician's separate consent to position tracking during visits (PIPL art. 28)."""

    __tablename__ = "location_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    given: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)


class TechnicianPosition(Base):
    """A GPS fix taken while on a visit, with consent (sensitive: FIELD_LABELS)."""

    __tablename__ = "technician_positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"))
    lat: Mapped[float]
    lon: Mapped[float]
    taken_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
