"""Report endpoints: JSON for the console and the chart, CSV for head office (RPT-10)."""

import csv
import io
from datetime import timedelta

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch.api.base import STAFF_ROLES, current_actor, roles_required
from dispatch.api.fields import UTCDateTime
from dispatch.clock import utcnow
from dispatch.db import db
from dispatch.reports import sla

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


class PeriodQuery(Schema):
    start = UTCDateTime(load_default=None)
    end = UTCDateTime(load_default=None)
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))

    @validates_schema
    def in_order(self, data, **_):
        if data["start"] and data["end"] and data["end"] <= data["start"]:
            raise ValidationError({"end": ["must be after start"]})


class SlaLineOut(Schema):
    metric = fields.String()
    total = fields.Integer()
    breached = fields.Integer()
    open = fields.Integer()
    rate = fields.Float(metadata={"description": "breach rate among decided promises, %"})


CSV = {
    "type": "string",
    "description": "format=csv: metric,total,breached,open,breach_rate_percent",
}


@blp.route("/sla")
class SlaReport(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(PeriodQuery, location="query")
    @blp.response(200, SlaLineOut(many=True))
    @blp.alt_response(200, schema=CSV, content_type="text/csv", success=True)
    def get(self, query):
        """Breach counts and rates of every SLA promise due in the period (default: 30 days)."""
        end = query["end"] or utcnow()
        lines = sla.report(
            db.session,
            actor=current_actor(),
            start=query["start"] or end - timedelta(days=30),
            end=end,
        )
        if query["format"] == "csv":
            return _csv(lines)
        return lines


def _csv(lines) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["metric", "total", "breached", "open", "breach_rate_percent"])
    for line in lines:
        writer.writerow([line.metric, line.total, line.breached, line.open, line.rate])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=sla.csv"},
    )
