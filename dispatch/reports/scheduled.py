"""Scheduled reports (RPT-3 weekly satisfaction, RPT-4 monthly follow-up analysis).

The database is the truth for time (DESIGN §7): each region has one `due` run per kind with its
due time (Monday / the 1st, 06:00 region time). The worker's sweeps generate due runs, each in
its own transaction, and write the next one, so a worker that was down catches up run by run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch.access import ensure_region, region_clause
from dispatch.actors import SYSTEM, Actor
from dispatch.config import Config
from dispatch.errors import NotFound
from dispatch.regions.models import Region
from dispatch.reports import satisfaction
from dispatch.reports.export import csv_text
from dispatch.reports.models import ReportRun
from dispatch.reports.pdf import weekly_pdf
from dispatch.reports.query import Scope
from dispatch.reports.rules import RunKind, RunStatus, next_run, run_period

SOURCES = {
    RunKind.WEEKLY_SATISFACTION: (satisfaction.weekly, satisfaction.WEEKLY_COLUMNS),
    RunKind.MONTHLY_FOLLOWUP: (satisfaction.monthly, satisfaction.MONTHLY_COLUMNS),
}


def unscheduled(session: Session, *, config: Config, now: datetime) -> list[str]:
    """Return `kind:region` for every region and kind without a run waiting."""
    waiting = set(
        session.execute(
            select(ReportRun.kind, ReportRun.region_id).where(ReportRun.status == RunStatus.DUE)
        ).all()
    )
    return [
        f"{kind}:{region_id}"
        for region_id in session.scalars(select(Region.id).order_by(Region.id))
        for kind in RunKind
        if (kind.value, region_id) not in waiting
    ]


def schedule(session: Session, *, config: Config, item_id: str, now: datetime) -> str:
    """Write the next run of one kind for one region (the unique key refuses a twin)."""
    kind, region_id = item_id.split(":")
    region = session.get(Region, int(region_id))
    _add_next(session, RunKind(kind), region, after=now)
    return "scheduled"


def due(session: Session, *, config: Config, now: datetime) -> list[int]:
    """Return the runs whose time has come."""
    return list(
        session.scalars(
            select(ReportRun.id)
            .where(ReportRun.status == RunStatus.DUE, ReportRun.due_at <= now)
            .order_by(ReportRun.due_at, ReportRun.id)
        )
    )


def generate(session: Session, *, config: Config, item_id: int, now: datetime) -> str:
    """Compile one due run, store CSV, rows (and the weekly PDF), then schedule the next."""
    run = session.scalars(
        select(ReportRun).where(ReportRun.id == item_id).with_for_update()
    ).one_or_none()
    if run is None or run.status != RunStatus.DUE:
        return "skipped"
    kind, region = RunKind(run.kind), session.get(Region, run.region_id)
    source, columns = SOURCES[kind]
    scope = Scope(SYSTEM, run.period_start, run.period_end, run.region_id)
    rows = source(session, scope)
    pdf = weekly_pdf(region, run, rows, columns) if kind == RunKind.WEEKLY_SATISFACTION else None
    run.complete(rows=rows, csv_text=csv_text(columns, rows), pdf=pdf, at=now)
    _add_next(session, kind, region, after=run.due_at)
    return "generated"


def _add_next(session: Session, kind: RunKind, region: Region, *, after: datetime) -> None:
    at = next_run(kind, after, region.timezone)
    start, end = run_period(kind, at, region.timezone)
    exists = session.scalar(
        select(ReportRun.id).where(
            ReportRun.kind == kind,
            ReportRun.region_id == region.id,
            ReportRun.period_start == start,
        )
    )
    if exists is None:
        session.add(
            ReportRun(kind=kind, region_id=region.id, period_start=start, period_end=end, due_at=at)
        )
        session.flush()


def runs(
    session: Session, *, actor: Actor, kind: str | None, after: int = 0, limit: int = 50
) -> list[ReportRun]:
    """List generated runs the actor may see, newest first by id (keyset: ids below `after`)."""
    statement = (
        select(ReportRun)
        .where(ReportRun.status == RunStatus.DONE, region_clause(actor, ReportRun.region_id))
        .order_by(ReportRun.id.desc())
        .limit(limit)
    )
    if kind:
        statement = statement.where(ReportRun.kind == kind)
    if after:
        statement = statement.where(ReportRun.id < after)
    return list(session.scalars(statement))


def get_run(session: Session, *, actor: Actor, run_id: int) -> ReportRun:
    """Load a generated run the actor may see (404 otherwise)."""
    run = session.get(ReportRun, run_id)
    if run is None or run.status != RunStatus.DONE:
        raise NotFound("Report not found")
    ensure_region(actor, run.region_id, what="Report")
    return run
