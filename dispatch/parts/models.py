"""A part of the catalogue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class Part(Base):
    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_price_cents: Mapped[int]
    # Retired parts stay for the vouchers that name them, but cannot be used again.
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime]

    def snapshot(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "unit_price_cents": self.unit_price_cents,
            "active": self.active,
        }
