"""Issue 16: a booking and a slot search run the same number of SQL statements whatever the
number of technicians and of days searched (APT-2).

Slot search asks once whether any of its days changed; a booking locks one technician's row,
draws its number with one statement and loads the request with its site, region and customer.
The counts are taken in the steady state of a served app: the days were built before.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from dispatch.actors import SYSTEM
from dispatch.db import db, session_scope
from dispatch.technicians.models import Technician
from dispatch.users import service as users
from tests.booking.morning import book
from tests.booking.test_technician_day import listed_slots
from tests.builders import PASSWORD, repair_request
from tests.routing.day import local

# What a booking that re-reads its changed day runs (see test_apt_16_booking_statements_...),
# the gates of dispatch (the agreed service plan, INT-12; the job's location mode, VCH-17)
# included. A new request's visits are not read (only a job on hold can have one paused on
# site), the transaction's outbox rows go in together with its last flush, and the
# assignment, the voucher and their audit rows in one flush each (not two).
BOOKING_MOST = 30


@contextmanager
def counted(app):
    """Collect the SQL statements the app's engine runs inside the block (any connection)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _more_technicians(world, count: int) -> None:
    """Add technicians who can take the same work as the world's two."""
    with session_scope() as session:
        for k in range(count):
            user = users.create_user(
                session=session,
                actor=SYSTEM,
                username=f"extra_tech_{k}",
                password=PASSWORD,
                full_name=f"Extra {k}",
                role="technician",
                region_ids=[world.region_id],
            )
            session.add(
                Technician(
                    user_id=user.id,
                    name=f"Extra {k}",
                    phone="+8613900000001",
                    region_id=world.region_id,
                    skills={"washer": 2},
                    home_lat=31.2 + k / 1000,
                    home_lon=121.45,
                )
            )


def _booking_statements(app, client, world, start: int) -> int:
    """Book today's window from `start` o'clock for two hours; return the statements it ran."""
    request = repair_request(client, world)
    with counted(app) as statements:
        reply = client.post(
            f"/api/v1/requests/{request['id']}/visits",
            headers=world.auth("dispatcher"),
            json={
                "window_start": local(start).isoformat(),
                "window_end": local(start + 2).isoformat(),
            },
        )
    assert reply.status_code == 201, reply.get_json()
    return len(statements)


def _search_statements(app, client, world, request_id: int, days: int) -> tuple[int, list]:
    with counted(app) as statements:
        found = listed_slots(client, world, request_id, days=days)
    return len(statements), found


def test_apt_16_booking_statements_do_not_grow_with_the_number_of_technicians(app, client, morning):
    # The day is built by a first booking; the next one finds it changed and re-reads it.
    assert book(client, morning, local(9), local(11)).status_code == 201
    two = _booking_statements(app, client, morning, 13)

    _more_technicians(morning, 6)
    assert book(client, morning, local(9), local(11)).status_code == 201  # staff changed: built
    with_eight = _booking_statements(app, client, morning, 13)

    assert with_eight == two
    assert two <= BOOKING_MOST


def test_apt_16_slot_search_statements_do_not_grow_with_days_or_technicians(app, client, morning):
    request = repair_request(client, morning)
    listed_slots(client, morning, request["id"], days=5)  # builds the five days and keeps them

    one_day, offered_today = _search_statements(app, client, morning, request["id"], 1)
    five_days, offered = _search_statements(app, client, morning, request["id"], 5)
    _more_technicians(morning, 6)
    listed_slots(client, morning, request["id"], days=5)  # staff changed: built again
    five_days_eight, offered_by_eight = _search_statements(app, client, morning, request["id"], 5)

    assert offered_today and len(offered) > len(offered_today)  # really five days searched
    assert len(offered_by_eight) >= len(offered)
    assert one_day == five_days == five_days_eight
