"""The customer's "my data" pages behind any live link of theirs (PRV-1, PRV-7, PRV-8, PRV-11).

Pages show the phone masked and no full address; the JSON export by link masks them the same
way (a forwarded link must not hand out the full phone and address; staff give the full copy).
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from dispatch.actors import customer_actor
from dispatch.api.base import app_config, transactional
from dispatch.api.errors import error_response, status_for
from dispatch.api.limits import link_limit
from dispatch.customers.rules import mask_address, mask_name, mask_phone
from dispatch.db import db
from dispatch.errors import DomainError, RuleViolation
from dispatch.links.service import purpose_of
from dispatch.privacy import rules, service
from dispatch.web import service as web

bp = Blueprint("privacy_pages", __name__)
link_limit(bp)
bp.after_app_request(service.write_pending_reads)  # access-log rows of serialised reads (PRV-5)


@bp.errorhandler(DomainError)
def _page_error(error: DomainError):
    status = 410 if error.error_code == "link_expired" else status_for(error)
    if request.path.endswith(".json"):  # the JSON twins answer in the one error shape
        return error_response(status, error.message, error.error_code, error.details)
    return render_template("error.html", message=_(error.message)), status


def _customer(token: str):
    config = app_config()
    link = web.open_link(
        db.session, config, token, purpose_of(secret_key=config.secret_key, token=token)
    )
    customer = service.get_visible_to_link(db.session, link.customer_id)
    g.page_language = customer.language
    return customer


def _export(customer) -> dict:
    return service.export_data(db.session, customer_actor(customer.id), customer, via="link")


def _masked(data: dict) -> dict:
    data["customer"]["name"] = mask_name(data["customer"]["name"])
    data["customer"]["phone"] = mask_phone(data["customer"]["phone"])
    data["customer"]["email"] = None if not data["customer"]["email"] else "***"
    for site in data["sites"]:
        site["address"] = mask_address(site["address"])
        site["lat"] = site["lon"] = None
    return data


@bp.get("/l/<token>/my-data")
@transactional
def my_data(token: str):
    """What we keep about the customer, masked (PRV-7, PRV-11)."""
    customer = _customer(token)
    data = _masked(
        service.export_data(db.session, customer_actor(customer.id), customer, via="link")
    )
    return render_template(
        "my_data.html",
        token=token,
        data=data,
        fields=rules.CORRECTABLE_FIELDS,
        done=request.args.get("done"),
    )


@bp.get("/l/<token>/my-data.json")
@transactional
def my_data_json(token: str):
    """Download the same data as JSON (PRV-7)."""
    customer = _customer(token)
    data = _masked(
        service.export_data(db.session, customer_actor(customer.id), customer, via="link")
    )
    response = jsonify(data)
    response.headers["Content-Disposition"] = "attachment; filename=my-data.json"
    return response


@bp.post("/l/<token>/my-data/correction")
@transactional
def correction(token: str):
    """Ask for a correction: name and e-mail apply at once, phone and address after approval."""
    customer = _customer(token)
    field, value = request.form.get("field", ""), (request.form.get("value") or "").strip()
    if field not in rules.CORRECTABLE_FIELDS or not 1 <= len(value) <= 300:
        raise RuleViolation("Choose what to correct and give the new value")
    change = service.request_change(
        db.session,
        customer_actor(customer.id),
        customer,
        field=field,
        value=value,
        via="link",
        phone_region=app_config().default_phone_region,
    )
    return redirect(url_for("privacy_pages.my_data", token=token, done=change.status), code=303)


def _consent_json(consent) -> dict:
    return {
        "purposes": consent.purposes,
        "scope": consent.scope,
        "manner": consent.manner,
        "channel": consent.channel,
        "notice_version": consent.notice_version,
        "given": consent.given,
        "recorded_at": consent.recorded_at.isoformat(),
    }


def _state_json(state: dict) -> dict:
    at = state["recorded_at"]
    return state | {"recorded_at": at.isoformat() if at else None}


@bp.get("/l/<token>/consent")
def consent_page(token: str):
    """The privacy notice's purposes, scope and manner, to accept on the link (PRV-1)."""
    customer = _customer(token)
    version = app_config().privacy_notice_version
    state = service.consent_state(db.session, customer, notice_version=version)
    return render_template("consent.html", token=token, state=state, done=request.args.get("done"))


@bp.post("/l/<token>/consent")
@transactional
def accept_consent(token: str):
    """Accept the notice shown (its version comes back with the form); twice is once."""
    customer = _customer(token)
    service.accept_by_link(
        db.session,
        customer_actor(customer.id),
        customer,
        shown_version=request.form.get("notice_version", ""),
        notice_version=app_config().privacy_notice_version,
    )
    return redirect(url_for("privacy_pages.consent_page", token=token, done="accepted"), code=303)


@bp.get("/l/<token>/consent.json")
def consent_state_json(token: str):
    """The same as JSON: the notice's terms and the customer's consent state (PRV-1)."""
    customer = _customer(token)
    version = app_config().privacy_notice_version
    return jsonify(_state_json(service.consent_state(db.session, customer, notice_version=version)))


@bp.post("/l/<token>/consent.json")
@transactional
def accept_consent_json(token: str):
    """Accept by JSON `{"notice_version": "<the version shown>"}`: 201 the first time, 200 with
    the same record after (idempotent)."""
    customer = _customer(token)
    body = request.get_json(silent=True)
    shown = body.get("notice_version") if isinstance(body, dict) else None
    if not isinstance(shown, str) or not 1 <= len(shown) <= 16:
        raise RuleViolation(
            "Give the version of the notice you accept",
            error_code="validation_error",
            details={"notice_version": ["the version shown, 1 to 16 characters"]},
        )
    consent, created = service.accept_by_link(
        db.session,
        customer_actor(customer.id),
        customer,
        shown_version=shown,
        notice_version=app_config().privacy_notice_version,
    )
    return jsonify(_consent_json(consent)), 201 if created else 200


@bp.post("/l/<token>/my-data/erasure")
@transactional
def erasure(token: str):
    """Ask for deletion of the personal data (PRV-9)."""
    customer = _customer(token)
    request_ = service.request_erasure(
        db.session, customer_actor(customer.id), customer, via="link"
    )
    return render_template("my_data_erased.html", status=request_.status)
