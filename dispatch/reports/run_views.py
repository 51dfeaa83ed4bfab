"""Stored scheduled reports (RPT-3, RPT-4): list, read as JSON, download as CSV or PDF."""

from flask import Response
from flask.views import MethodView

from dispatch.api.base import current_actor, roles_required
from dispatch.db import db
from dispatch.errors import NotFound
from dispatch.reports import scheduled
from dispatch.reports.query import REPORT_ROLES
from dispatch.reports.schemas import CSV, RunDetailOut, RunListQuery, RunOut, RunQuery
from dispatch.reports.views import blp

PDF = {"type": "string", "format": "binary", "description": "format=pdf (weekly summary only)"}


@blp.route("/runs")
class Runs(MethodView):
    @roles_required(*REPORT_ROLES)
    @blp.arguments(RunListQuery, location="query")
    @blp.response(200, RunOut(many=True))
    def get(self, query):
        """Generated weekly and monthly reports of the regions you may see, newest first."""
        return scheduled.runs(db.session, actor=current_actor(), **query)


@blp.route("/runs/<int:run_id>")
class RunById(MethodView):
    @roles_required(*REPORT_ROLES)
    @blp.arguments(RunQuery, location="query")
    @blp.response(200, RunDetailOut)
    @blp.alt_response(200, schema=CSV, content_type="text/csv", success=True)
    @blp.alt_response(200, schema=PDF, content_type="application/pdf", success=True)
    def get(self, query, run_id):
        """One generated report: its rows, or format=csv / format=pdf to download."""
        run = scheduled.get_run(db.session, actor=current_actor(), run_id=run_id)
        name = f"{run.kind}-{run.region_id}-{run.period_start:%Y%m%d}"
        if query["format"] == "csv":
            return Response(run.csv_text, mimetype="text/csv", headers=_attachment(name, "csv"))
        if query["format"] == "pdf":
            if run.pdf is None:
                raise NotFound("This report has no PDF")
            return Response(run.pdf, mimetype="application/pdf", headers=_attachment(name, "pdf"))
        return run


def _attachment(name: str, extension: str) -> dict:
    return {"Content-Disposition": f"attachment; filename={name}.{extension}"}
