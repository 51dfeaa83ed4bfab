"""Visits: one trip of a technician to a site, with its appointment window."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from dispatch.booking.models import Appointment
from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import InvalidTransition, RuleViolation
from dispatch.intake.models import ServiceRequest
from dispatch.schedule.models import RouteStop
from dispatch.technicians.models import Technician
from dispatch.visits.fieldwork_rules import lone_working, safety_check_problem
from dispatch.visits.rules import (
    APPOINTMENT_LIFECYCLE,
    FINISHED,
    VISIT_LIFECYCLE,
    AppointmentStatus,
    VisitStatus,
    departure_problem,
    time_order_problem,
)

V, A = VisitStatus, AppointmentStatus


class VisitReassignment(Base):
    """A technician who lost a visit to another (or to nobody): what the app's sync reports."""

    __tablename__ = "visit_reassignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class VisitFieldRecord(Base):
    """What happened on site: check-in distance, work clock, pause, why not finished, the
    after-service record and the class-A estimate (owner: dispatch.visits.fieldwork; 1:1)."""

    __tablename__ = "visit_field_records"

    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    arrival_distance_m: Mapped[float | None]
    arrival_far_from_site: Mapped[bool] = mapped_column(default=False)
    arrived_late: Mapped[bool] = mapped_column(default=False, server_default="false")  # APT-9
    delay_eta: Mapped[datetime | None]  # the new ETA of the last delay SMS (APT-9)
    work_started_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    unable_reason: Mapped[str | None] = mapped_column(String(32))
    unable_note: Mapped[str | None] = mapped_column(String(1000))
    unable_at: Mapped[datetime | None]
    diagnosis: Mapped[str | None] = mapped_column(String(4000))
    work_done: Mapped[str | None] = mapped_column(String(4000))
    solution: Mapped[str | None] = mapped_column(String(4000))
    estimate_cents: Mapped[int | None]  # class A (VCH-3): accepted before work starts
    estimate_minutes: Mapped[int | None]
    estimate_accepted_by: Mapped[str | None] = mapped_column(String(120))
    estimate_accepted_at: Mapped[datetime | None]
    # VCH-18: hazardous job, its pre-work checklist, the second person and lone working.
    hazardous: Mapped[bool] = mapped_column(default=False)
    hazard_kind: Mapped[str | None] = mapped_column(String(24))
    safety_check: Mapped[dict | None]
    safety_checked_at: Mapped[datetime | None]
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    lone_working: Mapped[bool] = mapped_column(default=False)

    def mark_hazardous(self, kind: str | None) -> None:
        """Flag (or, with None, unflag) the job as hazardous; a new flag needs a new check."""
        self.hazardous, self.hazard_kind = kind is not None, kind
        self.safety_check = self.safety_checked_at = None

    def record_safety_check(self, check: dict, guardian_name: str | None, at: datetime) -> None:
        problem = safety_check_problem(**check)
        if problem:
            raise RuleViolation(
                f"The pre-work checklist is incomplete: {problem}",
                error_code="safety_check_incomplete",
                details={"safety_check": [problem]},
            )
        self.safety_check, self.safety_checked_at = check, at
        self.guardian_name = guardian_name

    def check_may_start(self) -> None:
        """Refuse in_progress on a hazardous job before its checklist (VCH-18)."""
        if self.hazardous and self.safety_checked_at is None:
            raise RuleViolation(
                "A hazardous job starts only after the pre-work checklist",
                error_code="safety_check_missing",
                details={"safety_check": ["required before work starts"]},
            )
        self.lone_working = lone_working(self.hazardous, self.guardian_name)

    def check_in(self, distance_m: float | None, far: bool) -> None:
        self.arrival_distance_m, self.arrival_far_from_site = distance_m, far

    def write(self, **texts: str | None) -> None:
        """Set the given parts of the after-service record (None leaves a part as it is)."""
        for name in ("diagnosis", "work_done", "solution"):
            if texts.get(name) is not None:
                setattr(self, name, texts[name])

    def accept_estimate(self, *, cents: int, minutes: int, accepted_by: str, at: datetime):
        self.estimate_cents, self.estimate_minutes = cents, minutes
        self.estimate_accepted_by, self.estimate_accepted_at = accepted_by, at

    def report(self) -> dict:
        """Return the after-service record (what an audit row shows)."""
        return {"diagnosis": self.diagnosis, "work_done": self.work_done, "solution": self.solution}


class Visit(Base):
    """One trip to a site; its status and appointment move only through the methods below."""

    __tablename__ = "visits"
    audit_entity = "visit"
    __table_args__ = (CheckConstraint("window_start < window_end", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    window_start: Mapped[datetime] = mapped_column(index=True)  # day lists (issue 12)
    window_end: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    status: Mapped[str] = mapped_column(String(16), default=VisitStatus.SCHEDULED)
    # Device times (what the phone says) beside the server's receipt times.
    en_route_at: Mapped[datetime | None]
    en_route_received_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    arrived_received_at: Mapped[datetime | None]
    arrival_lat: Mapped[float | None]
    arrival_lon: Mapped[float | None]
    completed_at: Mapped[datetime | None]
    completed_received_at: Mapped[datetime | None]
    rating: Mapped[int | None]
    rating_comment: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(default=1)
    # What the planner needs to place the visit (its place is in route_stop).
    required_skill: Mapped[str | None] = mapped_column(String(48))
    required_level: Mapped[int] = mapped_column(default=1)
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    needs_manager_review: Mapped[bool] = mapped_column(default=False)  # e.g. unsigned voucher
    simple: Mapped[bool] = mapped_column(default=False)  # DSP-10: checked 1 h after dispatch
    # Any ORM update moves it, so the app's sync sees dispatcher edits too.
    changed_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ServiceRequest] = relationship()
    technician: Mapped[Technician | None] = relationship()
    reassignments: Mapped[list[VisitReassignment]] = relationship(order_by="VisitReassignment.id")
    # Every visit has its field record from the start (one row each; loaded with the visit).
    field_record: Mapped[VisitFieldRecord] = relationship(lazy="joined", innerjoin=True)
    route_stop: Mapped[RouteStop] = relationship(lazy="joined", innerjoin=True)
    appointment: Mapped[Appointment] = relationship(lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": version}

    def __init__(self, **values):
        values.setdefault("field_record", VisitFieldRecord(arrival_far_from_site=False))
        values.setdefault("route_stop", RouteStop(pinned_technician=False))
        values.setdefault("appointment", Appointment(status=A.PROPOSED, reschedule_count=0))
        values.setdefault("voucher", None)  # issued at dispatch; known absent, never looked up
        super().__init__(**values)
        self.route_stop.technician_id = self.technician_id

    def touch(self) -> None:
        """Count a change of one of the visit's parts as a change of the visit (sync, If-Match)."""
        self.changed_at = utcnow()
        flag_modified(self, "changed_at")  # an update (and a new version) even at the same time

    @property
    def record_open(self) -> bool:
        """Whether the after-service record may still change."""
        return self.status not in FINISHED

    @property
    def waiting(self) -> bool:
        """Not started yet: still on (or off) a technician's day, movable by the planner."""
        return self.status == V.SCHEDULED

    @property
    def live(self) -> bool:
        return self.status != V.CANCELLED

    @property
    def travelling(self) -> bool:
        return self.status == V.EN_ROUTE

    @property
    def at_site(self) -> bool:
        """On site, before or between work: when the class-A estimate is agreed (VCH-3)."""
        return self.status in (V.ON_SITE, V.PAUSED)

    @property
    def confirmed(self) -> bool:
        return self.appointment.status == A.CONFIRMED

    @property
    def released(self) -> bool:
        return self.appointment.released_at is not None

    def _move(self, to: VisitStatus) -> None:
        VISIT_LIFECYCLE.check(self.status, to)
        self.status = to

    def _appoint(self, to: AppointmentStatus) -> None:
        APPOINTMENT_LIFECYCLE.check(self.appointment.status, to)
        self.appointment.status = to
        self.touch()

    def _after_steps(self, at: datetime, *fields: str) -> None:
        """Refuse a device time before an earlier step's (depart ≤ arrive ≤ start ≤ complete)."""
        steps = {name: getattr(self._step_owner(name), name) for name in fields}
        before = time_order_problem(at, steps)
        if before:
            raise RuleViolation(
                f"The device time is before the visit's {before}",
                error_code="device_time_out_of_order",
                details={"device_time": [f"before {before} ({steps[before].isoformat()})"]},
            )

    def _step_owner(self, name: str):
        return self.field_record if name in ("work_started_at", "paused_at") else self

    def _check_may_begin(self, at: datetime, zone: ZoneInfo) -> None:
        problem = departure_problem(
            confirmed=self.confirmed,
            window_day=self.window_start.astimezone(zone).date(),
            today=at.astimezone(zone).date(),
            released=self.released,
        )
        if problem:
            raise RuleViolation(
                f"The visit cannot begin: {problem[1]}; a dispatcher can release it",
                error_code=problem[0],
                details={"visit_id": [problem[1]]},
            )

    def confirm(self, *, at: datetime) -> bool:
        """Confirm the appointment; return False when it was already confirmed.

        Confirming a follow-on appointment takes the job off hold (APT-11).
        """
        if self.confirmed:
            return False
        if not self.waiting:
            raise InvalidTransition(
                f"Visit is {self.status}; its appointment cannot be confirmed",
                details={"status": self.status},
            )
        self._appoint(A.CONFIRMED)
        self.appointment.confirmed_at = at
        self.request.resume_by_appointment()
        return True

    def repropose(self, *, confirmed_at: datetime | None) -> None:
        """After a new window: confirmed when the customer chose it, else proposed again."""
        self._appoint(A.CONFIRMED if confirmed_at else A.PROPOSED)
        self.appointment.confirmed_at = confirmed_at
        if confirmed_at:
            self.request.resume_by_appointment()

    def release(self, *, by_user_id: int, reason: str, at: datetime) -> None:
        """Let the technician set off although unconfirmed or on another day (dispatcher)."""
        if not self.waiting:
            raise InvalidTransition(f"Visit is {self.status}; only a waiting visit is released")
        appointment = self.appointment
        appointment.released_at, appointment.released_by_id = at, by_user_id
        appointment.release_reason = reason
        self.touch()

    def move_window(self, start: datetime, end: datetime) -> None:
        """Give a not-yet-started visit a new arrival window (a reschedule)."""
        if not self.waiting or self.appointment.status not in (A.PROPOSED, A.CONFIRMED):
            raise InvalidTransition(
                f"Visit is {self.status}/{self.appointment.status}; it cannot be rescheduled"
            )
        self.window_start, self.window_end = start, end
        self.appointment.reschedule_count += 1

    def cancel(self, reason: str) -> None:
        """Cancel the visit before anyone set off (side exit of the job states)."""
        self._move(V.CANCELLED)
        self._appoint(A.CANCELLED)
        self.appointment.cancel_reason = reason
        self.route_stop.keep(None)

    def miss(self, reason: str) -> None:
        """Record that the customer was not there (no-show); the technician's time is freed."""
        self._move(V.CANCELLED)
        self._appoint(A.MISSED)
        self.appointment.cancel_reason = reason
        self.route_stop.keep(None)

    def hold(self, technician_id: int | None, start: datetime | None) -> None:
        """Put the visit on a technician's day at `start` (only dispatch.schedule calls this)."""
        if self.technician_id is not None and technician_id != self.technician_id:
            self.reassignments.append(VisitReassignment(technician_id=self.technician_id))
        self.technician_id = technician_id
        self.route_stop.hold(technician_id, start, self.duration_minutes)
        self.touch()

    def keep_held(self, span: tuple[datetime, datetime] | None) -> None:
        """Narrow the reserved time to `span` (None frees it); dispatch.schedule decides."""
        self.route_stop.keep(span)
        self.touch()

    def depart(self, *, at: datetime, received_at: datetime, zone: ZoneInfo) -> None:
        """Set off: only to a confirmed appointment of today, unless released."""
        self._check_may_begin(at, zone)
        self._move(V.EN_ROUTE)
        self.en_route_at, self.en_route_received_at = at, received_at

    def arrive(self, *, at: datetime, received_at: datetime, lat=None, lon=None) -> None:
        self._after_steps(at, "en_route_at")
        self._move(V.ON_SITE)
        self.arrived_at, self.arrived_received_at = at, received_at
        self.arrival_lat, self.arrival_lon = lat, lon

    def complete(self, *, at: datetime, received_at: datetime) -> None:
        self._after_steps(at, "en_route_at", "arrived_at", "work_started_at")
        self._move(V.COMPLETED)
        self.completed_at, self.completed_received_at = at, received_at
        self._appoint(A.COMPLETED)

    def start_work(self, *, at: datetime) -> None:
        """Start or resume the work; only reachable on site, so after a checked departure."""
        self._after_steps(at, "en_route_at", "arrived_at", "paused_at")
        self.field_record.check_may_start()
        self._move(V.IN_PROGRESS)
        record = self.field_record
        record.work_started_at = record.work_started_at or at
        record.paused_at = record.pause_reason = None

    def pause(self, *, at: datetime, reason: str) -> None:
        self._after_steps(at, "arrived_at", "work_started_at")
        self._move(V.PAUSED)
        self.field_record.paused_at, self.field_record.pause_reason = at, reason

    def give_up(self, *, at: datetime, reason: str, note: str | None) -> None:
        """Leave without finishing (unable to complete), keeping why."""
        self._after_steps(at, "arrived_at", "work_started_at", "paused_at")
        self._move(V.UNABLE_TO_FINISH)
        record = self.field_record
        record.unable_at, record.unable_reason, record.unable_note = at, reason, note

    def mark_simple(self, simple: bool) -> None:
        self.simple = simple
        self.touch()

    def record_rating(self, rating: int, comment: str | None) -> None:
        self.rating, self.rating_comment = rating, comment

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "status": self.status,
            "appointment_status": self.appointment.status,
            "technician_id": self.technician_id,
            "request_status": self.request.status if self.request else None,
        }
