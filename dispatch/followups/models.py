"""The 24-hour satisfaction follow-up of a completed visit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from dispatch.db import Base
from dispatch.errors import InvalidTransition
from dispatch.visits.models import Visit

FOLLOWUP_STATES = ("scheduled", "sent", "answered", "phone_task", "done")


class FollowUp(Base):
    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
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

    visit: Mapped[Visit] = relationship(backref=backref("followup", uselist=False))

    @property
    def overdue(self) -> bool:
        """Sent after its deadline (FUP-1 breach)."""
        return self.sent_at is not None and self.sent_at > self.deadline_at

    def mark_sent(self, at: datetime) -> None:
        if self.status != "scheduled":
            raise InvalidTransition(f"Follow-up is {self.status}; it cannot be sent again")
        self.status, self.sent_at = "sent", at

    def answer(self, *, rating: int, comment: str | None, at: datetime) -> bool:
        """Store the customer's answer; return False when it was already answered."""
        if self.status == "answered":
            return False
        if self.status != "sent":
            raise InvalidTransition(f"Follow-up is {self.status}; it cannot be answered")
        self.status, self.rating, self.comment, self.answered_at = "answered", rating, comment, at
        return True
