"""The customer file (客户档案): customers, their sites and their products."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.privacy.crypto import EncryptedText
from dispatch.regions.models import Region

TIERS = ("ordinary", "vip")
LANGUAGES = ("zh-CN", "en")


class Customer(Base):
    """Personal fields are encrypted at rest (EncryptedText) and labelled in privacy.rules
    FIELD_LABELS (PRV-10); the phone is found through its keyed hash `phone_index`."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(EncryptedText)
    phone: Mapped[str] = mapped_column(EncryptedText)  # E.164
    phone_index: Mapped[str] = mapped_column(String(64), index=True)  # HMAC of the E.164 number
    email: Mapped[str | None] = mapped_column(EncryptedText)
    tier: Mapped[str] = mapped_column(String(16), default="ordinary")
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    anonymised_at: Mapped[datetime | None]  # PRV-9: personal fields erased for good
    consent_channel: Mapped[str] = mapped_column(String(32))
    consent_notice_version: Mapped[str] = mapped_column(String(16))
    consent_at: Mapped[datetime]
    possible_duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    # INT-8: a duplicate merged into another customer keeps its row; its history moved there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    merged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sites: Mapped[list[Site]] = relationship(back_populates="customer", order_by="Site.id")
    other_phones: Mapped[list[CustomerPhone]] = relationship(order_by="CustomerPhone.id")
    assets: Mapped[list[Asset]] = relationship(back_populates="customer", order_by="Asset.id")


class CustomerPhone(Base):
    """A further phone of a customer (INT-7), in E.164 and encrypted like the main one (PRV-10);
    any of them finds the customer through its keyed hash."""

    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    phone: Mapped[str] = mapped_column(EncryptedText)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)  # HMAC of the E.164 number
    label: Mapped[str | None] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(EncryptedText)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    geocoded_by: Mapped[str | None] = mapped_column(String(32))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="sites")
    region: Mapped[Region | None] = relationship()


class Asset(Base):
    """A product unit at a customer's site."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    model: Mapped[str] = mapped_column(String(120))
    serial: Mapped[str | None] = mapped_column(String(120))
    purchase_date: Mapped[date | None]
    purchase_place: Mapped[str | None] = mapped_column(String(200))

    customer: Mapped[Customer] = relationship(back_populates="assets")
