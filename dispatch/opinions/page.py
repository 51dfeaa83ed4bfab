"""The customer's opinion box on every link page: a form, a JSON endpoint and the replies
(FUP-11). Any live link of the customer opens it; its own rate limit per link keeps it from
being flooded, and a retried submission (same key) is the same opinion."""

from __future__ import annotations

import secrets

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from dispatch.actors import customer_actor
from dispatch.api.base import app_config, transactional
from dispatch.api.errors import error_response, status_for
from dispatch.api.limits import limiter, link_limit
from dispatch.db import db
from dispatch.errors import DomainError, RuleViolation
from dispatch.idempotency import HEADER, MAX_KEY_LENGTH
from dispatch.links.service import purpose_of, resolve
from dispatch.opinions import service
from dispatch.opinions.rules import OpinionCategory
from dispatch.opinions.schemas import OpinionIn, OpinionReceiptOut

bp = Blueprint("opinion_page", __name__)
link_limit(bp)
_per_link = limiter.limit(
    lambda: app_config().opinion_rate_limit,
    key_func=lambda: "opinion:" + (request.view_args or {}).get("token", ""),
)
_OPINION, _RECEIPT = OpinionIn(), OpinionReceiptOut()


def _wants_json() -> bool:
    return request.endpoint == "opinion_page.submit_json"


@bp.errorhandler(DomainError)
def _error(error: DomainError):
    status = 410 if error.error_code == "link_expired" else status_for(error)
    if _wants_json():
        return error_response(status, error.message, error.error_code, error.details)
    return render_template("error.html", message=_(error.message)), status


@bp.errorhandler(429)
def _too_many(_error):
    message = "Too many tries; please wait a minute."
    if _wants_json():
        return error_response(429, message, "rate_limited")
    return render_template("error.html", message=_(message)), 429


def _link(token: str):
    """The live link behind any of the customer's tokens, whatever it was sent for."""
    config = app_config()
    purpose = purpose_of(secret_key=config.secret_key, token=token)
    return resolve(db.session, secret_key=config.secret_key, token=token, purpose=purpose)


def _load(data: dict) -> dict:
    try:
        return _OPINION.load(data)
    except ValidationError as exc:
        raise RuleViolation(
            "Invalid input: " + ", ".join(map(str, exc.messages)),
            error_code="validation_error",
            details={"fields": {"json": exc.messages}},
        ) from None


def _submit(token: str, data: dict, key: str | None):
    if key is not None and not 0 < len(key) <= MAX_KEY_LENGTH:
        raise RuleViolation(
            f"{HEADER} must have 1 to {MAX_KEY_LENGTH} characters",
            error_code="bad_idempotency_key",
            details={HEADER: ["length"]},
        )
    link = _link(token)
    return service.submit_from_link(
        db.session, actor=customer_actor(link.customer_id), link=link, client_key=key, **data
    )


@bp.post("/l/<token>/opinion")
@_per_link
@transactional
def submit_form(token: str):
    """Take the opinion form of a link page, then show the page again with a thank-you."""
    data = _load({k: v for k, v in request.form.items() if k in ("category", "text")})
    _submit(token, data, (request.form.get("key") or "")[:MAX_KEY_LENGTH] or None)
    return redirect(url_for("web.show", token=token, opinion="sent") + "#opinions", code=303)


@bp.post("/l/<token>/opinions")
@_per_link
@transactional
def submit_json(token: str):
    """Take an opinion as JSON; needs an Idempotency-Key (a retry answers the first opinion)."""
    key = request.headers.get(HEADER)
    if key is None:
        return error_response(428, f"Send an {HEADER} header", "idempotency_key_required")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise RuleViolation("Send a JSON object", error_code="validation_error")
    opinion, created = _submit(token, _load(body), key)
    return _RECEIPT.dump(opinion), 201 if created else 200


def category_labels() -> list[tuple[str, str]]:
    """The categories a customer picks from, labelled in the page's language."""
    labels = {
        OpinionCategory.SCHEDULING: _("Appointment and timing"),
        OpinionCategory.REPAIR_QUALITY: _("Repair quality"),
        OpinionCategory.SERVICE_ATTITUDE: _("Service attitude"),
        OpinionCategory.PRICING: _("Prices and charges"),
        OpinionCategory.PRODUCT: _("The product"),
        OpinionCategory.OTHER: _("Other"),
    }
    return [(str(code), label) for code, label in labels.items()]


@bp.app_context_processor
def opinion_box() -> dict:
    """Give the customer's link pages (web.show) their opinion box: the form and the replies."""
    if request.endpoint != "web.show" or not request.view_args:
        return {}
    try:
        link = _link(request.view_args["token"])
    except DomainError:
        return {}  # the page shows the link's error; no box on it
    return {
        "opinion_box": {
            "token": request.view_args["token"],
            "key": secrets.token_urlsafe(16),  # one submission of this page
            "categories": category_labels(),
            "opinions": service.of_customer(db.session, link.customer_id),
        }
    }
