"""Service requests: everything a customer asks for, through any channel (一口对外)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dispatch.clock import utcnow
from dispatch.customers.models import Asset, Customer, Site
from dispatch.db import Base
from dispatch.errors import RuleViolation
from dispatch.intake.assessment import RequestAssessment
from dispatch.intake.rules import (
    AWAITING_BOOKING,
    BEFORE_SITE,
    JOB_LIFECYCLE,
    HoldReason,
    JobStatus,
    close_problem,
)
from dispatch.users.models import User
from dispatch.visits.rules import VisitStatus

if TYPE_CHECKING:
    from dispatch.intake.clocks import RequestClock
    from dispatch.visits.models import Visit


class ServiceRequest(Base):
    """A request and the field job it becomes; its status moves only through the methods below."""

    __tablename__ = "service_requests"
    audit_entity = "service_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"))
    request_type: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    service_class: Mapped[str] = mapped_column(String(1))
    priority: Mapped[str] = mapped_column(String(8), default="medium")
    product_model: Mapped[str | None] = mapped_column(String(120))
    fault_description: Mapped[str] = mapped_column(Text)
    expected_outcome: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default=JobStatus.REGISTERED)
    hold_reason: Mapped[str | None] = mapped_column(String(24))  # set while on_hold
    held_at: Mapped[datetime | None]  # when it last went on hold
    # APT-11: who told the customer the job could not finish, and when.
    hold_told_at: Mapped[datetime | None]
    hold_told_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(index=True)  # the list's order (issue 12)
    reported_at: Mapped[datetime | None]
    registrar_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # 首问负责: the first person responsible; set once at intake and never overwritten.
    first_owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Set by the day-end sweep when the request was not dispatched that day (DSP-8, issue 6).
    carried_over_at: Mapped[datetime | None]
    # INT-17: a new need raised after closure opens a new request linked to the closed one.
    follows_request_id: Mapped[int | None] = mapped_column(ForeignKey("service_requests.id"))
    # INT-14: who submitted it on the customer's behalf (department, dealer, technician).
    submitted_by_kind: Mapped[str | None] = mapped_column(String(16))
    submitted_by_name: Mapped[str | None] = mapped_column(String(120))
    # VCH-12: raised at another job's completion ("anything else?"): the request it came from.
    origin_request_id: Mapped[int | None] = mapped_column(ForeignKey("service_requests.id"))

    customer: Mapped[Customer] = relationship()
    site: Mapped[Site | None] = relationship()
    asset: Mapped[Asset | None] = relationship()
    registrar: Mapped[User] = relationship(foreign_keys=[registrar_id])
    first_owner: Mapped[User] = relationship(foreign_keys=[first_owner_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    visits: Mapped[list[Visit]] = relationship(viewonly=True, order_by="Visit.id")
    assessment: Mapped[RequestAssessment | None] = relationship()
    # APT-1/APT-12: the booking and answer clocks of a job request (owner: intake.clocks).
    clock: Mapped[RequestClock | None] = relationship(viewonly=True)

    @property
    def awaits_booking(self) -> bool:
        """Whether a visit can be booked for it (registered, verified, reopened, on hold).

        A job on hold while its technician is still on site (work paused) waits for them.
        Only a job on hold can have a paused visit (pausing holds the job or keeps it in
        progress), so the visits are read for that case alone.
        """
        if self.status not in AWAITING_BOOKING:
            return False
        return not (self.on_hold and self.paused_on_site)

    @property
    def paused_on_site(self) -> bool:
        return any(visit.status == VisitStatus.PAUSED for visit in self.visits)

    @property
    def waiting_since(self) -> datetime:
        """Since when it waits for a visit: its registration, or when it went on hold."""
        return self.held_at if self.on_hold and self.held_at else self.registered_at

    @property
    def cancels_with_visit(self) -> bool:
        """Whether cancelling its visit cancels the job: only before anyone reached the site.

        A job on hold or reopened keeps waiting for another visit.
        """
        return self.status in BEFORE_SITE

    @property
    def working(self) -> bool:
        return self.status == JobStatus.IN_PROGRESS

    @property
    def on_hold(self) -> bool:
        return self.status == JobStatus.ON_HOLD

    def _move(self, to: JobStatus) -> None:
        JOB_LIFECYCLE.check(self.status, to)
        self.status = to
        if to != JobStatus.ON_HOLD:
            self.hold_reason = None

    @property
    def is_closed(self) -> bool:
        return self.status == JobStatus.CLOSED

    def verify(self) -> None:
        """The scope check found it in scope (问题核实, INT-10); a booked job stays as it is."""
        if self.status == JobStatus.REGISTERED or JOB_LIFECYCLE.final(self.status):
            self._move(JobStatus.VERIFIED)  # a final state (e.g. out_of_scope) refuses

    def schedule(self) -> None:
        """A visit was booked for it (from on hold: the follow-on appointment, APT-11)."""
        self._move(JobStatus.SCHEDULED)

    def unschedule(self) -> None:
        """Its appointment was missed: the job waits to be booked again."""
        if self.status == JobStatus.SCHEDULED:
            self._move(JobStatus.REGISTERED)

    def set_off(self) -> None:
        """A technician set off to the site (en route)."""
        self._move(JobStatus.EN_ROUTE)

    def reach_site(self) -> None:
        self._move(JobStatus.ON_SITE)

    def start_work(self) -> None:
        """Work starts, or resumes after a hold on the same visit."""
        self._move(JobStatus.IN_PROGRESS)

    def hold(self, reason: HoldReason) -> None:
        """Wait for parts, another day or coordination; a job already waiting takes the new why."""
        if self.status != JobStatus.ON_HOLD:
            self._move(JobStatus.ON_HOLD)
            self.held_at = utcnow()
        self.hold_reason = HoldReason(reason)

    def record_customer_told(self, *, by_user_id: int | None, at: datetime) -> None:
        """Store who told the customer the job waits, and when (APT-11)."""
        self.hold_told_by_id, self.hold_told_at = by_user_id, at

    def resume_by_appointment(self) -> None:
        """Leave on_hold through a follow-on appointment (APT-11); other states are left alone."""
        if self.status == JobStatus.ON_HOLD:
            self._move(JobStatus.SCHEDULED)

    def complete(self) -> None:
        self._move(JobStatus.COMPLETED)

    def close(
        self, *, voucher_archived: bool, customer_confirmed: bool, by_user_id: int, at: datetime
    ) -> None:
        """Close a completed job: archived voucher and the customer's confirmation (VCH-11)."""
        JOB_LIFECYCLE.check(self.status, JobStatus.CLOSED)
        problem = close_problem(
            voucher_archived=voucher_archived, customer_confirmed=customer_confirmed
        )
        if problem:
            raise RuleViolation(f"The job cannot close: {problem[1]}", error_code=problem[0])
        self._move(JobStatus.CLOSED)
        self.closed_at, self.closed_by_id = at, by_user_id

    def reopen(self) -> bool:
        """Reopen a completed or closed job for a return visit; return False if it is open.

        Only for the same fault coming back; a new need opens a linked request (INT-17).
        """
        if self.status not in (JobStatus.COMPLETED, JobStatus.CLOSED):
            return False
        self._move(JobStatus.REOPENED)
        return True

    def cancel(self) -> None:
        self._move(JobStatus.CANCELLED)

    def hand_to(self, user_id: int) -> None:
        """Give the open job a new current owner (ROL-4: never nobody)."""
        if user_id is None:
            raise RuleViolation("A job always has an owner", error_code="owner_required")
        self.owner_id = user_id

    def resolve_remotely(self) -> None:
        self._move(JobStatus.RESOLVED_REMOTELY)

    def rule_out_of_scope(self) -> None:
        self._move(JobStatus.OUT_OF_SCOPE)

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "status": self.status,
            "hold_reason": self.hold_reason,
            "hold_told_by_id": self.hold_told_by_id,
            "owner_id": self.owner_id,
        }
