"""Human-readable, unique, immutable numbers (SR-20261124-0001) from a counter row per day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import String, UniqueConstraint, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
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
    """Return the next number for `prefix` on the local day of `at`.

    On PostgreSQL the day's counter is bumped by one statement of its own, committed at once:
    every booking and registration of a day takes a number, and a counter row locked until the
    caller commits would queue them all behind each other (issue 16). A caller that rolls back
    leaves a gap; numbers stay unique and never change. SQLite has one writer anyway (and a
    second connection would wait for the session's), so there the session bumps it.
    """
    day = at.astimezone(ZoneInfo(tz)).strftime("%Y%m%d")
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        with bind.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            value = conn.execute(_upsert(prefix, day)).scalar_one()
    else:
        value = _bump_in(session, prefix, day)
    return f"{prefix}-{day}-{value:04d}"


def _upsert(prefix: str, day: str):
    """One statement that creates the day's counter at 1 or bumps it, returning the number."""
    new = pg_insert(NumberCounter).values(prefix=prefix, day=day, last=1)
    return new.on_conflict_do_update(
        index_elements=[NumberCounter.prefix, NumberCounter.day],
        set_={"last": NumberCounter.last + 1},
    ).returning(NumberCounter.last)


def _bump_in(session: Session, prefix: str, day: str) -> int:
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
    return value


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
