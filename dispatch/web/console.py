"""Dispatcher console pages: they call the JSON API with the dispatcher's own token."""

from flask import Blueprint, render_template

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    """Watch a plan's progress, then see its routes on a map and accept or discard it."""
    return render_template("console_plan.html", plan_id=plan_id)


@bp.get("/reports/sla")
def sla():
    """See how often each SLA promise was broken, as a bar chart (CSV to download)."""
    return render_template("console_sla.html")


@bp.get("/reports")
def reports():
    """Pick a report, a month and a region: its chart (drawn by the server), table and CSV."""
    return render_template("console_reports.html")
