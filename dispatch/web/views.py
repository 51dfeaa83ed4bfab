"""Customer link pages: mobile-friendly, no login, minimum personal data."""

from __future__ import annotations

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.actors import customer_actor, link_viewer
from dispatch.api.base import app_config, transactional
from dispatch.api.errors import status_for
from dispatch.api.limits import link_limit
from dispatch.db import db
from dispatch.errors import DomainError, RuleViolation
from dispatch.knowledge import output as knowledge_output
from dispatch.links.service import purpose_of
from dispatch.quotes import links as quote_links
from dispatch.serviceplans import service as service_plans
from dispatch.vouchers import copies, signing
from dispatch.vouchers.views import pdf_response
from dispatch.web import appointment, service
from dispatch.web.survey import read_survey, reason_labels

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)
link_limit(bp)


@bp.errorhandler(DomainError)
def _page_error(error: DomainError):
    status = 410 if error.error_code == "link_expired" else status_for(error)
    return render_template("error.html", message=_(error.message)), status


@bp.errorhandler(429)
def _too_many(_error):
    return render_template("error.html", message=_("Too many tries; please wait a minute.")), 429


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
            "followup.html",
            view=view,
            token=token,
            followup=link.visit.followup,
            reasons=reason_labels(),
        )
    if purpose == "reschedule":
        choices = appointment.free_choices(db.session, app_config(), link)
        return render_template("reschedule.html", view=view, token=token, choices=choices)
    if purpose == "cancel":
        return render_template("cancel.html", view=view, token=token)
    if purpose == copies.PURPOSE:
        return redirect(url_for("web.voucher_copy", token=token), code=303)
    if purpose == "sign":
        return render_template("sign.html", view=view, token=token, voucher=link.visit.voucher)
    if purpose == quote_links.PURPOSE:
        return render_template(
            "quote.html", view=view, token=token, quote=link.visit.quote, **quote_labels()
        )
    service.log_view(link, service.PAGE_FIELDS, "appointment")
    return render_template(
        "appointment.html",
        view=view,
        token=token,
        actions=appointment.actions(db.session, app_config(), link),
        eta=appointment.eta_text(link, app_config()),
        plan=service_plans.shown_with_visit(db.session, link.visit.request_id),  # INT-12
    )


@bp.get("/l/<token>/help/<int:entry_id>")
def help_entry(token: str, entry_id: int):
    """Show a repair tip to the customer: published, customer-visible entries only (KB-12)."""
    purpose = purpose_of(secret_key=app_config().secret_key, token=token)
    link = service.open_link(db.session, app_config(), token, purpose)
    entry = knowledge_output.for_customer(db.session, customer_actor(link.customer_id), entry_id)
    db.session.commit()  # keeps the view count (KB-10)
    g.page_language = service.appointment_view(link, app_config()).language
    return render_template("help_entry.html", entry=entry)


@bp.post("/l/<token>/confirm")
@transactional
def confirm(token: str):
    """Confirm the appointment."""
    service.confirm(db.session, app_config(), token)
    return redirect(url_for("web.show", token=token, done="confirmed"), code=303)


@bp.post("/l/<token>/rate")
@transactional
def rate(token: str):
    """Store the satisfaction survey."""
    survey = read_survey(request.form)
    if survey is None:
        return render_template("error.html", message=_("Please choose 1 to 5 stars.")), 422
    service.rate(db.session, app_config(), token, survey)
    return redirect(url_for("web.show", token=token, done="rated"), code=303)


@bp.post("/l/<token>/reschedule")
@transactional
def reschedule(token: str):
    """Move the appointment to the window the customer picked."""
    tokens = appointment.reschedule(db.session, app_config(), token, request.form.get("window", ""))
    return redirect(url_for("web.show", token=tokens["appointment"], done="rescheduled"), code=303)


@bp.post("/l/<token>/cancel")
@transactional
def cancel(token: str):
    """Cancel the appointment with the customer's reason."""
    appointment.cancel(db.session, app_config(), token, request.form.get("reason", ""))
    return render_template(
        "error.html", message=_("Your appointment is cancelled."), title=_("Cancelled")
    )


@bp.get("/l/<token>/calendar.ics")
def calendar(token: str):
    """Download the appointment for the phone's calendar."""
    link = service.open_link(db.session, app_config(), token, "appointment")
    view = service.appointment_view(link, app_config())
    service.log_view(link, service.CALENDAR_FIELDS, "calendar")
    return Response(
        appointment.calendar_file(link, view.address),
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename={view.number}.ics"},
    )


@bp.get("/l/<token>/voucher.pdf")
def voucher_copy(token: str):
    """Download the customer's PDF copy of the archived voucher (VCH-10)."""
    voucher = copies.open_copy(db.session, config=app_config(), token=token)
    return pdf_response(voucher, actor=link_viewer(voucher.visit.request.customer_id))


@bp.post("/l/<token>/quote")
@transactional
def accept_quote(token: str):
    """Take the customer's acceptance of the class-A quote (VCH-3)."""
    name = (request.form.get("accepted_by") or "").strip()[:120]
    if not name:
        raise RuleViolation("Please give your name.", error_code="name_required")
    quote_links.accept_by_link(db.session, config=app_config(), token=token, accepted_by=name)
    return render_template(
        "error.html", message=_("Thank you, the quote is accepted."), title=_("Accepted")
    )


def quote_labels() -> dict:
    """The quote page's words for the fault causes and warranty states, in the page language."""
    return {
        "causes": {
            "product_defect": _("Product defect"),
            "misuse": _("Misuse"),
            "undetermined": _("Cause not determined"),
        },
        "methods": {
            "repair": _("Repair"),
            "replace_part": _("Replace a part"),
            "exchange": _("Exchange the product"),
            "adjust": _("Adjust"),
        },
        "warranties": {"in_warranty": _("In warranty"), "out_of_warranty": _("Out of warranty")},
    }


@bp.post("/l/<token>/sign")
@transactional
def sign(token: str):
    """Take the customer's signature drawn on the link page."""
    image = appointment.signature_image(request.form.get("image", ""))
    name = (request.form.get("signer_name") or "").strip()[:120]
    signing.sign_by_link(
        db.session, config=app_config(), token=token, signer_name=name, image=image
    )
    return render_template(
        "error.html", message=_("Thank you, the voucher is signed."), title=_("Signed")
    )
