"""Query and row schemas of the report endpoints (RPT-10: JSON, CSV and a chart)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch.api.fields import UTCDateTime
from dispatch.reports import complaints, requests, sla

TEXT_COLUMNS = frozenset(
    [
        "key",
        "region",
        "technician",
        "model",
        "fault_type",
        "request",
        "visit",
        "need",
        "problem",
        "cause",
        "solution",
        "parts",
        "status",
        "completed_at",
        "number",
        "received_at",
        "severity",
        "priority",
        "nature",
        "category",
        "resolution",
        "closed_at",
        "last_received_at",
        "section",
        "metric",
    ]
)


class ReportQuery(Schema):
    start = UTCDateTime(load_default=None, metadata={"description": "default: end - 30 days"})
    end = UTCDateTime(load_default=None, metadata={"description": "default: now"})
    region_id = fields.Integer(load_default=None, metadata={"description": "one region only"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "svg")))

    @validates_schema
    def in_order(self, data, **_):
        if data["start"] and data["end"] and data["end"] <= data["start"]:
            raise ValidationError({"end": ["must be after start"]})


class ComplaintQuery(ReportQuery):
    by = fields.String(load_default="total", validate=validate.OneOf(complaints.BREAKDOWNS))


class SlaQuery(ReportQuery):
    by = fields.String(load_default="total", validate=validate.OneOf(sla.BREAKDOWNS))
    after = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=32),
        metadata={"description": "by=job: the next page starts after this job number (keyset)"},
    )
    limit = fields.Integer(
        load_default=1000,
        validate=validate.Range(min=1, max=5000),
        metadata={"description": "by=job: jobs per page"},
    )


class RequestQuery(ReportQuery):
    by = fields.String(load_default="total", validate=validate.OneOf(requests.BREAKDOWNS))


class ChurnQuery(ReportQuery):
    lookback_days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=3650))
    grace_days = fields.Integer(load_default=None, validate=validate.Range(min=0, max=365))


class PageQuery(ReportQuery):
    after = fields.Integer(load_default=0, metadata={"description": "keyset: visit ids above"})
    limit = fields.Integer(load_default=5000, validate=validate.Range(min=1, max=20000))


class RunListQuery(Schema):
    kind = fields.String(
        load_default=None, validate=validate.OneOf(("weekly_satisfaction", "monthly_followup"))
    )
    after = fields.Integer(load_default=0, metadata={"description": "keyset: ids below this"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class RunQuery(Schema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "pdf")))


class RunOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    region_id = fields.Integer()
    period_start = UTCDateTime()
    period_end = UTCDateTime()
    generated_at = UTCDateTime()
    has_pdf = fields.Function(lambda run: run.pdf is not None)


class RunDetailOut(RunOut):
    rows = fields.List(fields.Dict())


def _field(column: str) -> fields.Field:
    if column in TEXT_COLUMNS:
        return fields.String(allow_none=True)
    if (
        column == "rate"
        or column.endswith("_rate")
        or column.startswith("avg_")
        or column in ("lat", "lon")
    ):
        return fields.Float(allow_none=True)
    return fields.Integer(allow_none=True)


def rows_schema(name: str, columns: tuple[str, ...]) -> Schema:
    """Return the schema of a report's rows: the CSV's columns, one JSON object per line."""
    return Schema.from_dict({column: _field(column) for column in columns}, name=name)(many=True)


CSV = {"type": "string", "description": "format=csv: a header line with the column names"}
SVG = {"type": "string", "description": "format=svg: the report's chart"}
