"""The public request form (INT-15): phone → one-time SMS code → the request, no login.

The pages call the same use cases as the JSON API (`/api/v1/web-requests`); they are limited
per client address like the link pages.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from dispatch.api.base import app_config, transactional
from dispatch.api.errors import status_for
from dispatch.api.limits import link_limit
from dispatch.customers.geocoding import geocoder_for
from dispatch.db import db
from dispatch.errors import DomainError, RuleViolation
from dispatch.webform import rules, schemas, service

bp = Blueprint("request_form", __name__, template_folder="templates")
link_limit(bp)
FORM_FIELDS = tuple(schemas.WebRequestIn().fields)
CATEGORY_LABELS = {
    "appliance": _l("Household appliance"),
    "electronics": _l("Electronics"),
    "hvac": _l("Air conditioning and heating"),
    "plumbing": _l("Plumbing"),
    "electrical": _l("Electrical"),
    "furniture": _l("Furniture"),
    "other": _l("Other"),
}


@bp.errorhandler(DomainError)
def _form_error(error: DomainError):
    return render_template("error.html", message=_(error.message)), status_for(error)


@bp.get("/r/new")
def start():
    """Ask for the phone the code goes to."""
    return render_template("request_phone.html")


@bp.post("/r/new/code")
@transactional
def send_code():
    """Text the code, then show the request form."""
    phone, language = request.form.get("phone", ""), request.form.get("language", "zh-CN")
    g.page_language = language
    data = _valid(schemas.CodeIn(), {"phone": phone, "language": language})
    code = service.send_code(
        session=db.session, config=app_config(), client=request.remote_addr or "", **data
    )
    return render_template(
        "request_form.html",
        phone=data["phone"],
        expires_at=code.expires_at,
        categories=[(c, CATEGORY_LABELS.get(c, c)) for c in rules.WEB_CATEGORIES],
        notice_version=app_config().privacy_notice_version,
    )


@bp.post("/r/new")
def submit():
    """Accept the request the code confirms (a wrong try counts; the same form again is safe)."""
    g.page_language = request.form.get("language", "")
    form = {name: request.form.get(name) or None for name in FORM_FIELDS}
    form["privacy_consent"] = request.form.get("privacy_consent") == "yes"
    data = _valid(schemas.WebRequestIn(), {k: v for k, v in form.items() if v is not None})
    outcome = transactional(service.submit)(
        session=db.session, config=app_config(), geocoder=geocoder_for(app_config()), **data
    )
    if outcome.problem is not None:
        raise outcome.problem
    return render_template("request_received.html", web_request=outcome.web_request)


def _valid(schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        fields = ", ".join(sorted(exc.messages))
        raise RuleViolation(
            _("Please check: %(fields)s", fields=fields), error_code="invalid_input"
        ) from exc
