"""Visits: one trip of a technician to a site, with its appointment window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.intake.models import ServiceRequest
from dispatch.technicians.models import Technician

VISIT_STATES = (
    "scheduled",
    "en_route",
    "on_site",
    "in_progress",
    "paused",
    "completed",
    "unable_to_finish",
    "cancelled",
)
APPOINTMENT_STATES = ("proposed", "confirmed", "completed", "cancelled", "missed")

# state -> the states it may move to
TRANSITIONS = {
    "scheduled": {"en_route", "cancelled"},
    "en_route": {"on_site", "cancelled"},
    # Completing straight from on_site keeps short jobs to three taps (work started implicitly).
    "on_site": {"in_progress", "completed", "unable_to_finish"},
    "in_progress": {"paused", "completed", "unable_to_finish"},
    "paused": {"in_progress", "unable_to_finish"},
    "completed": set(),
    "unable_to_finish": set(),
    "cancelled": set(),
}


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (CheckConstraint("window_start < window_end", name="window_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), index=True)
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    appointment_status: Mapped[str] = mapped_column(String(16), default="proposed")
    confirmed_at: Mapped[datetime | None]
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
    # --- Routing (issue 4): what the planner needs and what it decided ---
    required_skill: Mapped[str | None] = mapped_column(String(48))
    required_level: Mapped[int] = mapped_column(default=1)
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    pinned_technician: Mapped[bool] = mapped_column(default=False)  # planner keeps technician
    pinned_start: Mapped[datetime | None]  # planner keeps this start time
    planned_start: Mapped[datetime | None]  # ETA from the accepted plan or insertion
    route_position: Mapped[int | None]
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("route_plans.id"))
    # --- end routing ---
    # --- Booking (issue 5): the technician time this visit holds; PostgreSQL keeps two of one
    # technician's reserved spans from overlapping (exclusion constraint, migration 0005).
    reserved_start: Mapped[datetime | None]
    reserved_end: Mapped[datetime | None]
    reschedule_count: Mapped[int] = mapped_column(default=0)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # --- end booking ---
    # --- Technician day (issue 7): check-in distance, work clock, the after-service record ---
    arrival_distance_m: Mapped[float | None]
    arrival_far_from_site: Mapped[bool] = mapped_column(default=False)
    work_started_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    unable_reason: Mapped[str | None] = mapped_column(String(32))
    unable_note: Mapped[str | None] = mapped_column(String(1000))
    unable_at: Mapped[datetime | None]
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    needs_manager_review: Mapped[bool] = mapped_column(default=False)  # e.g. unsigned voucher
    diagnosis: Mapped[str | None] = mapped_column(String(4000))
    work_done: Mapped[str | None] = mapped_column(String(4000))
    solution: Mapped[str | None] = mapped_column(String(4000))
    estimate_cents: Mapped[int | None]  # class A (VCH-3): accepted before work starts
    estimate_minutes: Mapped[int | None]
    estimate_accepted_by: Mapped[str | None] = mapped_column(String(120))
    estimate_accepted_at: Mapped[datetime | None]
    # Any ORM update moves it, so the app's sync sees dispatcher edits too.
    changed_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # --- end technician day ---

    request: Mapped[ServiceRequest] = relationship()
    technician: Mapped[Technician | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def _move(self, to: str) -> None:
        if to not in TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"Visit is {self.status}; it cannot become {to}",
                details={"status": self.status, "requested": to},
            )
        self.status = to

    def confirm(self, *, at: datetime) -> bool:
        """Confirm the appointment; return False when it was already confirmed."""
        if self.appointment_status == "confirmed":
            return False
        if self.appointment_status != "proposed" or self.status != "scheduled":
            raise InvalidTransition(
                f"Appointment is {self.appointment_status}; it cannot be confirmed",
                details={"appointment_status": self.appointment_status},
            )
        self.appointment_status = "confirmed"
        self.confirmed_at = at
        return True

    def move_window(self, start: datetime, end: datetime) -> None:
        """Give a not-yet-started visit a new arrival window (a reschedule)."""
        if self.status != "scheduled" or self.appointment_status not in ("proposed", "confirmed"):
            raise InvalidTransition(
                f"Visit is {self.status}/{self.appointment_status}; it cannot be rescheduled"
            )
        self.window_start, self.window_end = start, end
        self.reschedule_count += 1

    def cancel(self, reason: str) -> None:
        """Cancel the visit before anyone set off (side exit of the job states)."""
        self._move("cancelled")
        self.appointment_status, self.cancel_reason = "cancelled", reason
        self.reserved_start = self.reserved_end = None

    def miss(self, reason: str) -> None:
        """Record that the customer was not there (no-show); the technician's time is freed."""
        self.cancel(reason)
        self.appointment_status = "missed"

    def hold(self, technician_id: int | None, start: datetime | None) -> None:
        """Put the visit on a technician's day at `start` (only dispatch.schedule calls this)."""
        self.technician_id, self.planned_start = technician_id, start
        if technician_id is None or start is None:
            self.reserved_start = self.reserved_end = None
        else:
            self.reserved_start = start
            self.reserved_end = start + timedelta(minutes=self.duration_minutes)

    def keep_held(self, span: tuple[datetime, datetime] | None) -> None:
        """Narrow the reserved time to `span` (None frees it); dispatch.schedule decides."""
        self.reserved_start, self.reserved_end = span or (None, None)

    def depart(self, *, at: datetime, received_at: datetime) -> None:
        self._move("en_route")
        self.en_route_at, self.en_route_received_at = at, received_at

    def arrive(self, *, at: datetime, received_at: datetime, lat=None, lon=None) -> None:
        self._move("on_site")
        self.arrived_at, self.arrived_received_at = at, received_at
        self.arrival_lat, self.arrival_lon = lat, lon

    def complete(self, *, at: datetime, received_at: datetime) -> None:
        if self.arrived_at and at < self.arrived_at:
            raise InvalidTransition(
                "Completion time is before the arrival time",
                error_code="time_order",
                details={"device_time": ["before arrival"]},
            )
        self._move("completed")
        self.completed_at, self.completed_received_at = at, received_at
        self.appointment_status = "completed"

    def start_work(self, *, at: datetime) -> None:
        self._move("in_progress")
        self.work_started_at = self.work_started_at or at
        self.paused_at = self.pause_reason = None

    def pause(self, *, at: datetime, reason: str) -> None:
        self._move("paused")
        self.paused_at, self.pause_reason = at, reason

    def give_up(self, *, at: datetime, reason: str, note: str | None) -> None:
        """Leave without finishing (unable to complete), keeping why."""
        self._move("unable_to_finish")
        self.unable_at, self.unable_reason, self.unable_note = at, reason, note

    def record_rating(self, rating: int, comment: str | None) -> None:
        self.rating, self.rating_comment = rating, comment

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "status": self.status,
            "appointment_status": self.appointment_status,
            "technician_id": self.technician_id,
        }
