"""A scheduled report run (RPT-3, RPT-4): due at a region-local time, then stored for download."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dispatch.complaints.models import Complaint
from dispatch.customers.models import Site
from dispatch.db import Base
from dispatch.followups.models import FollowUp
from dispatch.intake.models import ServiceRequest
from dispatch.reports.rules import RUN_LIFECYCLE, RunStatus
from dispatch.visits.models import Visit


class ReportRun(Base):
    """One report of one region and period; the worker's sweep generates it when due."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("kind", "region_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    due_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(8), default=RunStatus.DUE)
    generated_at: Mapped[datetime | None]
    rows: Mapped[list | None]
    csv_text: Mapped[str | None] = mapped_column(Text)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)

    def complete(self, *, rows: list, csv_text: str, pdf: bytes | None, at: datetime) -> None:
        """Store the generated content; a run is generated once."""
        RUN_LIFECYCLE.check(self.status, RunStatus.DONE)
        self.status = RunStatus.DONE
        self.rows, self.csv_text, self.pdf, self.generated_at = rows, csv_text, pdf, at


# The indexes the reports read through (one period column per fact table, and the joins from a
# job to its region and unit). Declared here so the owner of each table keeps its model small;
# created by migration 0018_reports.
REPORT_INDEXES = (
    Index("ix_rpt_complaints_received_at", Complaint.received_at),
    Index("ix_rpt_complaints_technician_received", Complaint.technician_id, Complaint.received_at),
    Index("ix_rpt_service_requests_registered_at", ServiceRequest.registered_at),
    Index("ix_rpt_service_requests_site_id", ServiceRequest.site_id),
    Index("ix_rpt_service_requests_asset_id", ServiceRequest.asset_id),
    Index("ix_rpt_sites_region_id", Site.region_id),
    Index("ix_rpt_visits_completed_at", Visit.completed_at),
    Index("ix_rpt_visits_window_end", Visit.window_end),
    Index("ix_rpt_visits_created_at", Visit.created_at),
    Index("ix_rpt_followups_deadline_at", FollowUp.deadline_at),
    Index("ix_rpt_followups_answered_at", FollowUp.answered_at),
)
