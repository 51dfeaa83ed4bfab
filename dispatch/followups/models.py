"""The 24-hour satisfaction follow-up of a completed visit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import Conflict, InvalidTransition
from dispatch.followups.rules import FOLLOWUP_LIFECYCLE, FollowUpStatus
from dispatch.visits.models import Visit

F = FollowUpStatus
SURVEY_FIELDS = (
    "rating",
    "quality",
    "timeliness",
    "attitude",
    "reasons",
    "problem_solved",
    "comment",
)


class FollowUp(Base):
    """One follow-up of a completed visit; its status moves only through the methods below."""

    __tablename__ = "followups"
    audit_entity = "followup"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        CheckConstraint(
            "(quality IS NULL OR quality BETWEEN 1 AND 5)"
            " AND (timeliness IS NULL OR timeliness BETWEEN 1 AND 5)"
            " AND (attitude IS NULL OR attitude BETWEEN 1 AND 5)",
            name="aspects_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)  # one per visit
    status: Mapped[str] = mapped_column(String(16), default=F.SCHEDULED)
    due_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    rating: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(String(1000))
    # --- The full survey (FUP-3), phone tasks (FUP-4) and the overdue flag (FUP-1) ---
    quality: Mapped[int | None]
    timeliness: Mapped[int | None]
    attitude: Mapped[int | None]
    reasons: Mapped[list | None]
    problem_solved: Mapped[bool | None]
    answered_via: Mapped[str | None] = mapped_column(String(8))  # "link" | "phone"
    overdue_at: Mapped[datetime | None]  # set when the deadline passed before the send
    phone_task_at: Mapped[datetime | None]
    phone_task_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    second_touch_at: Mapped[datetime | None]  # FUP-10: the optional touch 7 days after

    visit: Mapped[Visit] = relationship(backref=backref("followup", uselist=False))

    def mark_second_touch(self, at: datetime) -> None:
        self.second_touch_at = at  # the system's own note of the second call (FUP-10)

    @property
    def completed(self) -> bool:
        """Answered on the link or by phone: from then on the follow-up is read-only (FUP-8)."""
        return FOLLOWUP_LIFECYCLE.final(self.status)

    def ensure_writable(self) -> None:
        """Raise Conflict `followup_completed` when a write reaches a completed follow-up."""
        if self.completed:
            raise Conflict(
                "This follow-up is completed and can no longer be changed",
                error_code="followup_completed",
                details={"status": self.status},
            )

    @property
    def overdue(self) -> bool:
        """Not sent by its deadline (FUP-1 breach)."""
        late = self.sent_at is not None and self.sent_at > self.deadline_at
        return late or self.overdue_at is not None

    @property
    def due_to_send(self) -> bool:
        return self.status == F.SCHEDULED

    @property
    def awaiting_answer(self) -> bool:
        """Sent and unanswered: the sweep turns it into a phone task after a while (FUP-4)."""
        return self.status == F.SENT

    @property
    def confirms_fix(self) -> bool:
        """The customer answered that the problem is solved (VCH-11)."""
        return self.status in (F.ANSWERED, F.DONE) and self.problem_solved is True

    def _move(self, to: FollowUpStatus) -> None:
        FOLLOWUP_LIFECYCLE.check(self.status, to)
        self.status = to

    def mark_sent(self, at: datetime) -> None:
        self._move(F.SENT)
        self.sent_at = at

    def to_phone_task(self, *, owner_id: int, at: datetime) -> None:
        self._move(F.PHONE_TASK)
        self.phone_task_owner_id, self.phone_task_at = owner_id, at

    def hand_phone_task_to(self, user_id: int) -> None:
        """Give the open phone task to another agent (ROL-6 hand-over)."""
        self.ensure_writable()
        self.phone_task_owner_id = user_id

    def delegate(self, owner_id: int) -> None:
        """Hand the phone task to a colleague (FUP-6); only an open phone task moves."""
        self.ensure_writable()
        if self.status != F.PHONE_TASK:
            raise InvalidTransition(
                f"Follow-up is {self.status}; only a phone task is delegated",
                details={"status": self.status},
            )
        self.phone_task_owner_id = owner_id

    def repeats_link_answer(self, survey: dict, via: str) -> bool:
        """Whether this is the customer's same link answer again (a double tap): no change."""
        return (
            via == "link"
            and self.answered_via == "link"
            and self.completed
            and all(getattr(self, name) == survey.get(name) for name in SURVEY_FIELDS)
        )

    def answer(self, survey: dict, *, via: str, at: datetime) -> None:
        """Store the survey answer; a completed follow-up refuses any other (FUP-8)."""
        self.ensure_writable()
        to = F.ANSWERED if via == "link" else F.DONE
        if not FOLLOWUP_LIFECYCLE.allows(self.status, to):
            raise InvalidTransition(
                f"Follow-up is {self.status}; it cannot take an answer by {via}",
                details={"status": self.status},
            )
        for name in SURVEY_FIELDS:
            setattr(self, name, survey.get(name))
        self._move(to)
        self.answered_via, self.answered_at = via, at

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "status": self.status,
            "rating": self.rating,
            "owner_id": self.phone_task_owner_id,
        }
