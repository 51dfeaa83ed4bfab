"""One assessment per visit: diagnosis and proposed solution, the supervisor's decision and
when it went to the customer (owner: dispatch.assessments)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.assessments.rules import ASSESSMENT_LIFECYCLE, AssessmentStatus
from dispatch.db import Base


class Assessment(Base):
    __tablename__ = "assessments"
    audit_entity = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), unique=True)
    diagnosis: Mapped[str] = mapped_column(Text)
    proposed_solution: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=AssessmentStatus.SUBMITTED)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]

    def _move(self, to: AssessmentStatus) -> None:
        ASSESSMENT_LIFECYCLE.check(self.status, to)
        self.status = to

    def resubmit(self, *, diagnosis: str, solution: str, by_id: int, at: datetime) -> None:
        self._move(AssessmentStatus.SUBMITTED)
        self.diagnosis, self.proposed_solution = diagnosis, solution
        self.submitted_by_id, self.submitted_at = by_id, at
        self.decided_by_id = self.decided_at = self.decision_note = None

    def decide(self, *, approve: bool, by_id: int, note: str | None, at: datetime) -> None:
        self._move(AssessmentStatus.APPROVED if approve else AssessmentStatus.REJECTED)
        self.decided_by_id, self.decided_at, self.decision_note = by_id, at, note

    def mark_sent(self, at: datetime) -> None:
        self.sent_at = at

    def snapshot(self) -> dict:
        return {"status": self.status, "decided_by_id": self.decided_by_id}
