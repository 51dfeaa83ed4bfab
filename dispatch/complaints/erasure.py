"""A complaint's free text after its customer's erasure (PRV-9).

Complaints stay for statistics and quality work, but what staff and the customer wrote in them
(descriptions, notes, statements, answers, appeals) loses every piece of the erased customer's
personal data found in it: names, phone numbers in their written forms, addresses. Only closed
complaints exist by then: an open one holds the erasure back.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch.complaints.models import Complaint, ComplaintTransfer
from dispatch.complaints.records import (
    Compensation,
    ComplaintAppeal,
    ComplaintAssist,
    SpecialNote,
)
from dispatch.privacy.rules import scrub_json, scrub_text

# Free-text columns, per table, that may quote the customer.
COMPLAINT_TEXT = (
    "description",
    "place",
    "course_of_events",
    "expected_resolution",
    "case_decision_note",
    "cause",
    "responsible_party",
    "plan_steps",
    "review_remedies",
    "report_cause",
    "report_fix",
    "report_prevention",
    "resolution",
    "followup_note",
    "customer_feedback",
)
COMPLAINT_JSON = ("involved", "evidence", "plan_remedies", "review_responsible")
RECORD_TEXT = {
    ComplaintAssist: ("request", "answer"),
    ComplaintAppeal: ("reason", "evaluation"),
    ComplaintTransfer: ("reason",),
    SpecialNote: ("note",),
}


def _scrub(obj, column: str, needles: set[str]) -> None:
    """Scrub one text column, kept within the column's length (a marker may be longer)."""
    value = scrub_text(getattr(obj, column), needles)
    length = getattr(obj.__table__.c[column].type, "length", None)
    setattr(obj, column, value[:length] if value and length else value)


def scrub_customer(session: Session, customer_id: int, needles: set[str]) -> int:
    """Replace the customer's data in the free text of their complaints; return how many."""
    complaints = list(
        session.scalars(select(Complaint).where(Complaint.customer_id == customer_id))
    )
    ids = [c.id for c in complaints]
    for complaint in complaints:
        for column in COMPLAINT_TEXT:
            _scrub(complaint, column, needles)
        for column in COMPLAINT_JSON:
            setattr(complaint, column, scrub_json(getattr(complaint, column), needles))
    for model, columns in RECORD_TEXT.items():
        owner = model.complaint_id.in_(ids)
        if model is SpecialNote:
            owner = or_(owner, SpecialNote.customer_id == customer_id)
        for record in session.scalars(select(model).where(owner)):
            for column in columns:
                _scrub(record, column, needles)
    for compensation in session.scalars(
        select(Compensation).where(Compensation.complaint_id.in_(ids))
    ):
        _scrub(compensation, "reason", needles)
    return len(complaints)
