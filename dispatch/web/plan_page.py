"""The customer's service plan page (INT-12): the remedy, the estimate, agree (同意方案) or
reject with a reason. No login; the signed link is the key, as for the other link pages."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.api.base import app_config, transactional
from dispatch.api.errors import status_for
from dispatch.api.limits import link_limit
from dispatch.db import db
from dispatch.errors import DomainError
from dispatch.serviceplans import service

bp = Blueprint("plan_page", __name__, template_folder="templates")
link_limit(bp)


@bp.errorhandler(DomainError)
def _page_error(error: DomainError):
    status = 410 if error.error_code == "link_expired" else status_for(error)
    return render_template("error.html", message=_(error.message)), status


@bp.get("/p/<token>")
def show(token: str):
    """Show the proposed plan and, while it waits, the agree and reject buttons."""
    plan = service.plan_of_link(db.session, app_config(), token)
    g.page_language = plan.request.customer.language
    return render_template("service_plan.html", plan=plan, token=token)


@bp.post("/p/<token>/agree")
@transactional
def agree(token: str):
    """Agree to the plan (同意方案)."""
    service.agree_by_link(db.session, app_config(), token)
    return redirect(url_for("plan_page.show", token=token), code=303)


@bp.post("/p/<token>/reject")
@transactional
def reject(token: str):
    """Reject the plan with the customer's reason; staff revise it."""
    reason = (request.form.get("reason") or "").strip()
    if len(reason) < 2:
        return render_template("error.html", message=_("Please tell us why.")), 422
    service.reject_by_link(db.session, app_config(), token, reason[:500])
    return redirect(url_for("plan_page.show", token=token), code=303)
