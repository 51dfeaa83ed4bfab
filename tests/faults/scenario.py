"""Work for the worker: a repair done on 1 December (SMS, follow-up) and visits still to come."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import update

from dispatch.clock import utcnow
from dispatch.db import session_scope
from dispatch.outbox import OutboxMessage
from tests.aftercare.helpers import complete_visit, local, relogin
from tests.builders import World, book_visit, build_world, login, next_workday_at
from tests.vouchers.test_sign_by_link import complete_without_signature


def repair_done_on_december_1(client) -> World:
    """Intake, booking, travel and completion texts, and a follow-up now overdue (FUP-1)."""
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, local(1, 13))
    relogin(client, world, "dispatcher", "manager")
    return world


def visits_with_reminders_due_in(client, world: World, count: int, seconds: float) -> None:
    """Book visits days ahead whose day-before reminders (APT-7) fall due in `seconds`."""
    for day in range(count):
        book_visit(client, world, start=next_workday_at(10, days_ahead=3 + day))
    with session_scope() as session:  # their timed rows, moved to fall due during the test
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == "booking.reminder")
            .values(
                run_at=utcnow() + timedelta(seconds=seconds),
                enqueued_at=None,
                redrive_at=None,
                job_id=None,
            )
        )


def voucher_left_for_remote_signature(client, world: World) -> None:
    """Complete a visit without the absent customer's signature: a signing link goes (VCH-8)."""
    world.tokens["tech_a"] = login(client, "tech_a", "/mobile/v1/auth/login", device_id="dev-a")
    complete_without_signature(client, world)
