"""Service requests: everything a customer asks for, through any channel (一口对外)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.customers.models import Asset, Customer, Site
from dispatch.db import Base
from dispatch.users.models import User


class ServiceRequest(Base):
    __tablename__ = "service_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"))
    request_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    service_class: Mapped[str] = mapped_column(String(1))
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    product_model: Mapped[str | None] = mapped_column(String(120))
    fault_description: Mapped[str] = mapped_column(Text)
    expected_outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="registered")
    registered_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
    registrar_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # 首问负责: the first person responsible; set once at intake and never overwritten.
    first_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Set by the day-end sweep when the request was not dispatched that day (DSP-8, issue 6).
    carried_over_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship()
    site: Mapped[Site | None] = relationship()
    asset: Mapped[Asset | None] = relationship()
    registrar: Mapped[User] = relationship(foreign_keys=[registrar_id])
    first_owner: Mapped[User] = relationship(foreign_keys=[first_owner_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
