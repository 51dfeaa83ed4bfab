"""The customer file (客户档案): customers, their sites and their products."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.regions.models import Region

TIERS = ("ordinary", "vip")
LANGUAGES = ("zh-CN", "en")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), index=True)  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    tier: Mapped[str] = mapped_column(String(16), default="ordinary")
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    notes: Mapped[str | None] = mapped_column(Text)
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
    """A further phone of a customer (INT-7), in E.164; any of them finds the customer."""

    __tablename__ = "customer_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str | None] = mapped_column(String(40))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    geocoded_by: Mapped[str | None] = mapped_column(String(32))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
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
