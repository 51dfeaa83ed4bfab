"""CMP-7 (H9, C3): every request that is neither a job nor a complaint gets a first response
with a timetable within 24 h. Jobs have the booking clocks (APT-1) and complaints their own
per-nature clocks; this is the outer limit for everything else. The row is the clock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dispatch import access
from dispatch.actors import SYSTEM, Actor
from dispatch.alerts import service as alerts
from dispatch.audit import audited
from dispatch.clock import utcnow
from dispatch.complaints import rules
from dispatch.config import Config
from dispatch.db import Base
from dispatch.errors import Conflict, NotFound
from dispatch.intake.models import ServiceRequest
from dispatch.intake.rules import JOB_REQUEST_TYPES
from dispatch.regions.calendar import DEFAULT_CALENDAR

CLOCK = "request_first_response"
NOT_CLOCKED = (*JOB_REQUEST_TYPES, "complaint")


class RequestFirstResponse(Base):
    """The 24-hour first-response clock of one non-job, non-complaint request (CMP-7)."""

    __tablename__ = "request_first_responses"
    audit_entity = "request_first_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), unique=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    responded_at: Mapped[datetime | None]
    message: Mapped[str | None] = mapped_column(Text)
    timetable: Mapped[str | None] = mapped_column(String(500))
    breached_at: Mapped[datetime | None]

    def snapshot(self) -> dict:
        return {"responded": self.responded_at is not None, "breached": bool(self.breached_at)}


def start(session: Session, config: Config, request: ServiceRequest) -> None:
    """Start the clock for a request that no other clock covers."""
    if request.request_type in NOT_CLOCKED:
        return
    table = rules.parse_clock_minutes(rules.GOVERNANCE_CLOCKS) | rules.parse_clock_minutes(
        config.complaint_sla_minutes
    )
    length = rules.clock_minutes(table, CLOCK, "", request.priority)
    region = request.site.region if request.site is not None else None
    due = rules.due_at(
        request.registered_at,
        length,
        tz=region.timezone if region else config.default_timezone,
        day_start=config.contact_window_start,
        day_end=config.working_day_end,
        calendar=region.calendar if region else DEFAULT_CALENDAR,
    )
    session.add(RequestFirstResponse(request_id=request.id, due_at=due))


def respond(
    *, session: Session, actor: Actor, request_id: int, message: str, timetable: str
) -> RequestFirstResponse:
    """Record the first response and its timetable; it stops the clock."""
    clock = session.scalars(
        select(RequestFirstResponse)
        .where(RequestFirstResponse.request_id == request_id)
        .with_for_update()
    ).one_or_none()
    if clock is None:
        raise NotFound(f"Request {request_id} has no first-response clock")
    access.ensure_request(actor, session.get(ServiceRequest, request_id))
    if clock.responded_at is not None:
        raise Conflict("The first response was already given", error_code="already_responded")
    with audited(session, actor, clock, "request.first_response"):
        clock.responded_at, clock.message, clock.timetable = utcnow(), message, timetable
    return clock


def due_breaches(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return ids of unanswered, unflagged first-response clocks past due (for the sweeper)."""
    return list(
        session.scalars(
            select(RequestFirstResponse.id).where(
                RequestFirstResponse.responded_at.is_(None),
                RequestFirstResponse.breached_at.is_(None),
                RequestFirstResponse.due_at <= now,
            )
        )
    )


def breach(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Flag a late first response and alert the request's owner (idempotent)."""
    clock = session.get(RequestFirstResponse, item_id, with_for_update=True)
    if clock.responded_at is not None or clock.breached_at is not None:
        return "skipped"
    with audited(session, SYSTEM, clock, "request.first_response_breached"):
        clock.breached_at = now
    request = session.get(ServiceRequest, clock.request_id)
    alerts.alert(
        session,
        [request.owner_id],
        kind="request.first_response_breached",
        message=f"Request {request.number}: no first response within 24 h",
    )
    return "breached"
