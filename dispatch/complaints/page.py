"""The customer's complaint page: a limited progress timeline and the answer to a solution
(CMP-14, CMP-18). No login; nothing internal is shown (PRV-12)."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.actors import customer_actor
from dispatch.api.base import app_config, transactional
from dispatch.api.errors import status_for
from dispatch.api.limits import link_limit
from dispatch.complaints import governance, notices
from dispatch.db import db
from dispatch.errors import DomainError

bp = Blueprint("complaint_page", __name__, template_folder="templates")
link_limit(bp)


@bp.errorhandler(DomainError)
def _page_error(error: DomainError):
    status = 410 if error.error_code == "link_expired" else status_for(error)
    return render_template("error.html", message=_(error.message)), status


@bp.get("/c/<token>")
def show(token: str):
    """Show the complaint's progress and, when a solution waits, the answer form."""
    complaint = notices.complaint_of_link(db.session, app_config(), token)
    g.page_language = complaint.customer.language
    return render_template("complaint_progress.html", view=notices.progress(complaint), token=token)


@bp.post("/c/<token>/answer")
@transactional
def answer(token: str):
    """Accept or reject the proposed solution; a rejection with a reason opens an appeal."""
    complaint = notices.complaint_of_link(db.session, app_config(), token)
    governance.record_decision(
        session=db.session,
        actor=customer_actor(complaint.customer_id),
        config=app_config(),
        complaint_id=complaint.id,
        accepted=request.form.get("accepted") == "yes",
        note=(request.form.get("note") or "").strip() or None,
        via="link",
    )
    return redirect(url_for("complaint_page.show", token=token), code=303)
