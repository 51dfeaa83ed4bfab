"""Technicians: the people who go to customers' sites."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.db import Base
from dispatch.regions.models import Region
from dispatch.users.models import User


class Technician(Base):
    __tablename__ = "technicians"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    home_lat: Mapped[float | None]
    home_lon: Mapped[float | None]
    skills: Mapped[list] = mapped_column(default=list)
    certified: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    region: Mapped[Region] = relationship()
