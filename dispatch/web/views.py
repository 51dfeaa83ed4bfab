"""Customer link pages: mobile-friendly, no login, minimum personal data."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.api.base import app_config, transactional
from dispatch.db import db
from dispatch.errors import DomainError, LinkInvalid
from dispatch.links.service import purpose_of
from dispatch.web import service

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)


@bp.errorhandler(DomainError)
def _page_error(error: DomainError):
    status = (
        410
        if error.error_code == "link_expired"
        else 403
        if isinstance(error, LinkInvalid)
        else 409
    )
    return render_template("error.html", message=_(error.message)), status


@bp.get("/l/<token>")
def show(token: str):
    """Show the page a link was sent for."""
    purpose = purpose_of(secret_key=app_config().secret_key, token=token)
    link = service.open_link(db.session, app_config(), token, purpose)
    db.session.commit()  # keeps the link's last-used time
    view = service.appointment_view(link, app_config())
    g.page_language = view.language
    if purpose == "followup":
        return render_template(
            "followup.html", view=view, token=token, followup=link.visit.followup
        )
    return render_template("appointment.html", view=view, token=token)


@bp.post("/l/<token>/confirm")
@transactional
def confirm(token: str):
    """Confirm the appointment."""
    service.confirm(db.session, app_config(), token)
    return redirect(url_for("web.show", token=token, done="confirmed"), code=303)


@bp.post("/l/<token>/rate")
@transactional
def rate(token: str):
    """Store the satisfaction rating."""
    try:
        rating = int(request.form.get("rating", ""))
    except ValueError:
        rating = 0
    if not 1 <= rating <= 5:
        return render_template("error.html", message=_("Please choose 1 to 5 stars.")), 422
    comment = (request.form.get("comment") or "").strip()[:1000] or None
    service.rate(db.session, app_config(), token, rating, comment)
    return redirect(url_for("web.show", token=token, done="rated"), code=303)
