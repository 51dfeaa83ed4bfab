"""The intake assessment of a request: diagnosis, answer, scope check, missing details.

Owner: dispatch.intake (1:1 with its request, created on the first assessment step). The
request's status still moves only through ServiceRequest's methods; this row keeps what staff
found out (INT-9, INT-10, INT-11).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.db import Base


class RequestAssessment(Base):
    """What staff found out about a request before anyone is sent."""

    __tablename__ = "request_assessments"
    audit_entity = "request_assessment"

    request_id: Mapped[int] = mapped_column(ForeignKey("service_requests.id"), primary_key=True)
    diagnosis: Mapped[str | None] = mapped_column(Text)  # preliminary diagnosis (INT-9)
    diagnosed_at: Mapped[datetime | None]
    diagnosed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The answer of a request closed without a visit (当场答复 or solved remotely, INT-9).
    answer: Mapped[str | None] = mapped_column(Text)
    answered_how: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
    # 问题核实 (INT-10): None until checked.
    in_scope: Mapped[bool | None]
    scope_reason: Mapped[str | None] = mapped_column(String(500))
    scope_checked_at: Mapped[datetime | None]
    scope_checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the customer still has to supply (INT-11); empty when nothing is missing.
    missing: Mapped[list] = mapped_column(default=list)
    supplement_asked_at: Mapped[datetime | None]
    # INT-6: the fault, address and requested time were read back and the customer agreed.
    details_confirmed_at: Mapped[datetime | None]
    details_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_time: Mapped[str | None] = mapped_column(String(200))

    @property
    def id(self) -> int:
        """The audit trail names it by its request."""
        return self.request_id

    @property
    def needs_supplement(self) -> bool:
        return bool(self.missing)

    def snapshot(self) -> dict:
        """Return the fields an audit row shows before and after a change."""
        return {
            "diagnosis": self.diagnosis,
            "answer": self.answer,
            "in_scope": self.in_scope,
            "scope_reason": self.scope_reason,
            "missing": list(self.missing or []),
        }
