"""The public web form's API (INT-15; anonymous, rate limited) and its intake queue (staff)."""

import functools

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    INTAKE_ROLES,
    STAFF_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.api.limits import link_limit
from dispatch.api.openapi import responds
from dispatch.customers.geocoding import geocoder_for
from dispatch.db import db
from dispatch.intake.schemas import RequestOut
from dispatch.webform import queue, schemas, service

blp = Blueprint(
    "web_requests",
    __name__,
    url_prefix="/api/v1/web-requests",
    description="The public web form (no login; the phone is confirmed by an SMS code) and "
    "its intake queue",
)


def counting_wrong_tries(view):
    """Commit the outcome of a code check even when it refuses, so a wrong try counts; then
    answer the refusal."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        outcome = transactional(view)(*args, **kwargs)
        if outcome.problem is not None:
            raise outcome.problem
        return outcome.web_request

    return wrapper


def public(view):
    """An anonymous door: limited per client address like the link pages (429)."""
    return responds(429)(link_limit(view))


@blp.route("/codes")
class Codes(MethodView):
    @public
    @blp.arguments(schemas.CodeIn)
    @blp.response(202, schemas.CodeSentOut)
    @transactional
    def post(self, data):
        """Text a 6-digit one-time code to the phone (limited per phone and per address)."""
        return service.send_code(
            session=db.session, config=app_config(), client=request.remote_addr or "", **data
        )


@blp.route("")
class WebRequests(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.WebRequestListArgs, location="query")
    @blp.response(200, schemas.WebRequestPage)
    def get(self, args):
        """List the web-form requests of my regions waiting to be registered (keyset pages)."""
        return queue.list_queue(db.session, current_actor(), **args)

    @public
    @responds(409)
    @blp.arguments(schemas.WebRequestIn)
    @blp.response(201, schemas.WebRequestReceiptOut)
    @counting_wrong_tries
    def post(self, data):
        """Submit a request with the phone's code; the same submission again returns it."""
        return service.submit(
            session=db.session, config=app_config(), geocoder=geocoder_for(app_config()), **data
        )


@blp.route("/<int:web_request_id>/register")
class Register(MethodView):
    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.RegisterWebRequestIn)
    @blp.response(201, RequestOut)
    @transactional
    def post(self, data, web_request_id):
        """Register it as a service request (channel web_form), owned by me."""
        return queue.register(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            geocoder=geocoder_for(app_config()),
            web_request_id=web_request_id,
            **data,
        )
