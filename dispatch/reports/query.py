"""SQL building blocks of the reports: period, region scope, time arithmetic per dialect.

Every report is one or a few aggregate statements; these helpers keep them the same on
PostgreSQL (production, tests, benchmark) and SQLite (`bin/run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Float, and_, case, func, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.expression import FunctionElement

from dispatch.access import ensure_region, region_clause
from dispatch.actors import Actor
from dispatch.errors import NotFound
from dispatch.regions.models import Region
from dispatch.users.rules import REPORT_READERS

REPORT_WORK_MEM = "64MB"
REPORT_ROLES = tuple(map(str, REPORT_READERS))


@dataclass(frozen=True)
class Scope:
    """What a report covers: the half-open period [start, end) and, optionally, one region."""

    actor: Actor
    start: datetime
    end: datetime
    region_id: int | None = None

    def regions(self, column) -> ColumnElement[bool]:
        """Limit a region column to the actor's regions (dispatch.access) and the chosen one."""
        clause = region_clause(self.actor, column)
        return and_(clause, column == self.region_id) if self.region_id is not None else clause

    def during(self, column) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)


class seconds_between(FunctionElement):  # noqa: N801 - reads like the SQL function it is
    """Seconds from `earlier` to `later` (NULL if either is NULL)."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_pg(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"
    )


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return (
        f"((julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)})) * 86400.0)"
    )


class local_bucket(FunctionElement):  # noqa: N801
    """The local day/week/month a UTC instant falls in, as 'YYYY-MM-DD' of its first day."""

    inherit_cache = False  # unit and zone are compiled in: never reuse another's SQL

    def __init__(self, column, unit: str, tz: str):
        self.unit, self.tz = unit, tz
        super().__init__(column)


@compiles(local_bucket)
def _bucket_pg(element, compiler, **kw):
    (column,) = list(element.clauses)
    # Inline constants, not parameters: the SELECT and GROUP BY copies must be the same text.
    zone, unit = _quoted(element.tz), _quoted(element.unit)
    inner = compiler.process(column, **kw)
    return f"to_char(date_trunc({unit}, ({inner}) AT TIME ZONE {zone}), 'YYYY-MM-DD')"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@compiles(local_bucket, "sqlite")
def _bucket_sqlite(element, compiler, **kw):
    # SQLite knows no zones: buckets are taken in UTC there (bin/run only; documented).
    (column,) = list(element.clauses)
    inner = compiler.process(column, **kw)
    if element.unit == "month":
        return f"strftime('%Y-%m-01', {inner})"
    if element.unit == "week":
        return f"date({inner}, 'weekday 0', '-6 days')"
    return f"date({inner})"


def count_if(condition) -> ColumnElement[int]:
    """Count the rows where `condition` holds."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def avg_if(condition, value) -> ColumnElement[float]:
    """Average `value` over the rows where `condition` holds."""
    return func.avg(case((condition, value), else_=None))


def load_scope(
    session, actor: Actor, *, start: datetime, end: datetime, region_id: int | None
) -> Scope:
    """Build the scope of a report; a region the actor may not see answers 404 (dispatch.access)."""
    if session.bind.dialect.name == "postgresql":
        # Year-long reports hash hundreds of thousands of rows: room for that in memory, for
        # this transaction only.
        session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))
    if region_id is not None:
        ensure_region(actor, region_id, what="Region")
        if session.get(Region, region_id) is None:
            raise NotFound("Region not found")
    return Scope(actor, start, end, region_id)


def zone_of(session, scope: Scope, default: str) -> str:
    """Return the time zone buckets are taken in: the chosen region's, else the default."""
    region = session.get(Region, scope.region_id) if scope.region_id is not None else None
    return region.timezone if region is not None else default
