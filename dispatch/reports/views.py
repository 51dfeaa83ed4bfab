"""Report endpoints: JSON for the console, CSV for head office, SVG charts (RPT-1..RPT-10).

Views only read the query and pick the answer's form; scope and permissions are built by
`query.load_scope` (dispatch.access), the figures by one module per report.
"""

from datetime import timedelta

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api import openapi
from dispatch.api.base import app_config, current_actor, roles_required
from dispatch.clock import utcnow
from dispatch.db import db
from dispatch.reports import (
    charts,
    complaints,
    customers,
    management,
    quality,
    requests,
    satisfaction,
    sla,
    technicians,
)
from dispatch.reports.export import csv_response
from dispatch.reports.query import REPORT_ROLES, load_scope, zone_of
from dispatch.reports.rules import ChurnRule
from dispatch.reports.schemas import (
    CSV,
    SVG,
    ChurnQuery,
    ComplaintQuery,
    PageQuery,
    ReportQuery,
    RequestQuery,
    SlaQuery,
    rows_schema,
)

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


def _scope(query):
    end = query["end"] or utcnow()
    start = query["start"] or end - timedelta(days=30)
    return load_scope(
        db.session, current_actor(), start=start, end=end, region_id=query["region_id"]
    )


def _answer(query, name, columns, rows, chart):
    """Answer rows as JSON, CSV or the chart `chart(rows)` draws."""
    if query["format"] == "csv":
        return csv_response(name, columns, rows)
    if query["format"] == "svg":
        return Response(chart(rows), mimetype="image/svg+xml")
    return rows


def _bars(title, label, value, unit=""):
    return lambda rows: charts.bars(
        title, [r[label] for r in rows], [r[value] for r in rows], unit=unit
    )


def _report(path, columns, query=ReportQuery):
    """Decorate a view as a report endpoint: roles, its query arguments, JSON rows, CSV and SVG
    alternatives."""
    name = path.strip("/").replace("/", "_")

    def decorate(view):
        view = blp.arguments(query, location="query")(view)
        view = blp.alt_response(200, schema=SVG, content_type="image/svg+xml", success=True)(view)
        view = blp.alt_response(200, schema=CSV, content_type="text/csv", success=True)(view)
        view = blp.response(200, rows_schema(f"{name.title()}Row", columns))(view)
        # 404: a region_id outside the caller's regions (never revealing whether it exists)
        return openapi.responds(404)(roles_required(*REPORT_ROLES)(view))

    return decorate


@blp.route("/sla")
class SlaReport(MethodView):
    @_report("sla", sla.COLUMNS, SlaQuery)
    def get(self, query):
        """Breach counts and rates of every SLA promise due in the period (RPT-1).

        By total, region, technician, department or job; by job a page of jobs in number
        order, the next one `after` the last line's key.
        """
        page = {"after": query["after"], "limit": query["limit"]}  # by=job
        rows = sla.report(db.session, _scope(query), by=query["by"], **page)
        if query["format"] == "csv":
            keyed = query["by"] != "total"  # the one-key CSV keeps its historical columns
            columns, header = (
                (sla.COLUMNS, sla.CSV_HEADER) if keyed else (sla.COLUMNS[:-1], sla.CSV_HEADER[:-1])
            )
            return csv_response("sla", columns, rows, header)
        return _answer(query, "sla", sla.COLUMNS, rows, _bars("Breach rate %", "metric", "rate"))


@blp.route("/complaints")
class ComplaintReport(MethodView):
    @_report("complaints", complaints.COLUMNS, ComplaintQuery)
    def get(self, query):
        """Complaint KPIs of complaints received in the period, by one dimension (RPT-2)."""
        rows = complaints.report(db.session, _scope(query), by=query["by"])
        chart = _bars("Resolution rate %", "key", "resolution_rate")
        return _answer(query, "complaints", complaints.COLUMNS, rows, chart)


@blp.route("/satisfaction")
class SatisfactionReport(MethodView):
    @_report("satisfaction", satisfaction.WEEKLY_COLUMNS)
    def get(self, query):
        """Follow-up results per region for any period (RPT-3's table, on demand)."""
        rows = satisfaction.weekly(db.session, _scope(query))
        chart = _bars("Satisfied %", "region", "satisfied_rate")
        return _answer(query, "satisfaction", satisfaction.WEEKLY_COLUMNS, rows, chart)


@blp.route("/followups")
class FollowUpAnalysis(MethodView):
    @_report("followups", satisfaction.MONTHLY_COLUMNS)
    def get(self, query):
        """Rating distribution, unresolved and reopened jobs, top categories (RPT-4)."""
        rows = satisfaction.monthly(db.session, _scope(query))
        chart = lambda rows: charts.bars(  # noqa: E731 - the rating section only
            "Answers per rating",
            [r["key"] for r in rows if r["section"] == "rating"],
            [r["value"] for r in rows if r["section"] == "rating"],
        )
        return _answer(query, "followups", satisfaction.MONTHLY_COLUMNS, rows, chart)


@blp.route("/requests")
class RequestReport(MethodView):
    @_report("requests", requests.COLUMNS, RequestQuery)
    def get(self, query):
        """Requests registered in the period by one dimension, never-jobs included (RPT-5)."""
        scope = _scope(query)
        tz = zone_of(db.session, scope, app_config().default_timezone)
        rows = requests.report(db.session, scope, by=query["by"], tz=tz)
        return _answer(
            query, "requests", requests.COLUMNS, rows, _bars("Requests", "key", "requests")
        )


@blp.route("/requests/demand")
class DemandMap(MethodView):
    @_report("requests/demand", requests.AREA_COLUMNS)
    def get(self, query):
        """Requests per map cell of about 5 km; format=svg draws the demand map (RPT-5)."""
        scope = _scope(query)
        rows = requests.demand(db.session, scope)
        areas = requests.areas(db.session, scope)
        chart = lambda rows: charts.demand_map(rows, areas)  # noqa: E731
        return _answer(query, "demand", requests.AREA_COLUMNS, rows, chart)


@blp.route("/technicians")
class TechnicianReport(MethodView):
    @_report("technicians", technicians.COLUMNS)
    def get(self, query):
        """Per-technician jobs, punctuality, time on site, first-time fix, rating (RPT-6)."""
        rows = technicians.report(db.session, _scope(query))
        chart = _bars("First-time fix %", "technician", "first_time_fix_rate")
        return _answer(query, "technicians", technicians.COLUMNS, rows, chart)


@blp.route("/customers")
class CustomerReport(MethodView):
    @_report("customers", customers.COLUMNS, ChurnQuery)
    def get(self, query):
        """Repeat-customer, complaint and churn rates per region (RPT-7)."""
        config = app_config()
        rule = ChurnRule(
            lookback_days=query["lookback_days"] or config.churn_lookback_days,
            grace_days=config.churn_grace_days
            if query["grace_days"] is None
            else query["grace_days"],
        )
        rows = customers.report(db.session, _scope(query), churn=rule)
        chart = _bars("Churn rate %", "region", "churn_rate")
        return _answer(query, "customers", customers.COLUMNS, rows, chart)


@blp.route("/quality/jobs")
class QualityJobs(MethodView):
    @_report("quality/jobs", quality.JOB_COLUMNS, PageQuery)
    def get(self, query):
        """Per completed job: need, problem, cause, solution, parts, status (RPT-8).

        Paged by visit id: the next page starts `after` the last line's `visit_id`.
        """
        page = {"after": query["after"], "limit": query["limit"]}
        rows = quality.jobs(db.session, _scope(query), **page)
        chart = lambda rows: charts.bars("Jobs", ["jobs"], [len(rows)])  # noqa: E731
        return _answer(query, "quality_jobs", quality.JOB_COLUMNS, rows, chart)


@blp.route("/quality/faults")
class QualityFaults(MethodView):
    @_report("quality/faults", quality.FAULT_COLUMNS)
    def get(self, query):
        """The most frequent fault types per product model (RPT-8)."""
        rows = quality.faults(db.session, _scope(query))
        chart = _bars("Jobs per fault type", "fault_type", "jobs")
        return _answer(query, "quality_faults", quality.FAULT_COLUMNS, rows, chart)


@blp.route("/management/cases")
class ManagementCases(MethodView):
    @_report("management/cases", management.CASE_COLUMNS)
    def get(self, query):
        """Major and important (high-priority) complaints of the period (RPT-9)."""
        rows = management.cases(db.session, _scope(query))
        chart = lambda rows: charts.bars("Cases", ["major/important"], [len(rows)])  # noqa: E731
        return _answer(query, "management_cases", management.CASE_COLUMNS, rows, chart)


@blp.route("/management/causes")
class ManagementCauses(MethodView):
    @_report("management/causes", management.CAUSE_COLUMNS)
    def get(self, query):
        """Complaint causes that recur in the period (RPT-9)."""
        rows = management.causes(db.session, _scope(query))
        chart = _bars("Complaints per recurring cause", "cause", "complaints")
        return _answer(query, "management_causes", management.CAUSE_COLUMNS, rows, chart)


from dispatch.reports import run_views  # noqa: E402,F401 - registers the stored-run endpoints
