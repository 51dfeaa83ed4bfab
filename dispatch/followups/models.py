"""The 24-hour satisfaction follow-up of a completed visit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.visits.models import Visit

FOLLOWUP_STATES = ("scheduled", "sent", "answered", "phone_task", "done")
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
    __tablename__ = "followups"
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
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
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

    visit: Mapped[Visit] = relationship(backref=backref("followup", uselist=False))

    @property
    def overdue(self) -> bool:
        """Not sent by its deadline (FUP-1 breach)."""
        late = self.sent_at is not None and self.sent_at > self.deadline_at
        return late or self.overdue_at is not None

    def mark_sent(self, at: datetime) -> None:
        if self.status != "scheduled":
            raise InvalidTransition(f"Follow-up is {self.status}; it cannot be sent again")
        self.status, self.sent_at = "sent", at

    def to_phone_task(self, *, owner_id: int, at: datetime) -> None:
        if self.status != "sent":
            raise InvalidTransition(f"Follow-up is {self.status}; no phone task is needed")
        self.status, self.phone_task_owner_id, self.phone_task_at = "phone_task", owner_id, at

    def answer(self, survey: dict, *, via: str, at: datetime) -> bool:
        """Store the survey answer; return False when the customer's link answer is repeated."""
        if via == "link" and self.status == "answered":
            return False
        allowed = ("sent", "phone_task") if via == "link" else ("phone_task",)
        if self.status not in allowed:
            raise InvalidTransition(
                f"Follow-up is {self.status}; it cannot take an answer by {via}",
                details={"status": self.status},
            )
        for name in SURVEY_FIELDS:
            setattr(self, name, survey.get(name))
        self.status = "answered" if via == "link" else "done"
        self.answered_via, self.answered_at = via, at
        return True
