"""Issue 16: a booking's number does not lock the day's counter until the booking commits.

Every booking (and registration) of a day draws a number from one counter row; held locked to
commit, that row queued all of them behind each other. Numbers stay unique (INT-4); a booking
that rolls back leaves a gap.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from dispatch import numbering
from dispatch.db import db

AT = datetime(2026, 12, 1, 2, tzinfo=UTC)  # 10:00 in Shanghai
LOCK_NOW = "SELECT last FROM number_counters WHERE prefix = 'V' FOR UPDATE NOWAIT"


def _number(engine) -> str:
    with Session(bind=engine) as session:
        return numbering.next_number(session, "V", AT, "Asia/Shanghai")


def test_int_4_apt_16_a_number_drawn_by_an_open_booking_leaves_the_counter_free(app):
    with app.app_context():
        engine = db.engine
    booking = Session(bind=engine)
    try:
        booking.execute(text("SELECT 1"))  # the booking's transaction is open
        first = numbering.next_number(booking, "V", AT, "Asia/Shanghai")
        with engine.connect() as other:  # another booking of the day, while the first is open
            seen = other.execute(text(LOCK_NOW)).scalar_one()  # NOWAIT: fails if locked
            other.rollback()
        second = _number(engine)
        booking.rollback()  # the first booking is refused after all: its number is not reused
    finally:
        booking.close()
    third = _number(engine)

    assert (first, second, third) == ("V-20261201-0001", "V-20261201-0002", "V-20261201-0003")
    assert seen == 1
