"""Human-readable, unique, immutable numbers (SR-20261124-0001) from a locked counter row."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch.db import Base


class NumberCounter(Base):
    __tablename__ = "number_counters"
    __table_args__ = (UniqueConstraint("prefix", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8))
    day: Mapped[str] = mapped_column(String(8))
    last: Mapped[int] = mapped_column(default=0)


def next_number(session: Session, prefix: str, at: datetime, tz: str) -> str:
    """Return the next number for `prefix` on the local day of `at`."""
    day = at.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    bump = (
        update(NumberCounter)
        .where(NumberCounter.prefix == prefix, NumberCounter.day == day)
        .values(last=NumberCounter.last + 1)
        .returning(NumberCounter.last)
    )
    value = session.execute(bump).scalar_one_or_none()
    if value is None:
        # First number of the day: create the counter under a savepoint; a concurrent
        # creator wins the unique constraint and we bump theirs instead.
        try:
            with session.begin_nested():
                session.add(NumberCounter(prefix=prefix, day=day, last=1))
            value = 1
        except IntegrityError:
            value = session.execute(bump).scalar_one()
    return f"{prefix}-{day}-{value:04d}"


def counter_value(session: Session, prefix: str, day: str) -> int:
    """Return how many numbers were issued for a prefix on a day."""
    return (
        session.scalar(
            select(NumberCounter.last).where(
                NumberCounter.prefix == prefix, NumberCounter.day == day
            )
        )
        or 0
    )
