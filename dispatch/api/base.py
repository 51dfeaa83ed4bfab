"""The Api subclass, the write-transaction decorator and the auth decorators."""

from __future__ import annotations

import functools

import flask_smorest
from flask import current_app, jsonify
from flask_jwt_extended import get_jwt, jwt_required, verify_jwt_in_request

from dispatch import jobs, outbox
from dispatch.actors import Actor
from dispatch.api import openapi
from dispatch.api.errors import http_exception_body
from dispatch.api.query import QueryGuard, caller_check
from dispatch.db import db
from dispatch.devices.models import MOBILE, token_channel
from dispatch.errors import PermissionDenied
from dispatch.users import rules as roles

# The role groups of dispatch.users.rules (ROL-3), under the names the views use.
STAFF_ROLES = tuple(map(str, roles.BACK_OFFICE))
WRITE_ROLES = tuple(map(str, roles.ASSIGNERS))
INTAKE_ROLES = tuple(map(str, roles.INTAKE))
FOLLOWUP_ROLES = tuple(map(str, roles.FOLLOWUP_CALLERS))
MANAGER_ROLES = tuple(map(str, roles.COUNTERSIGNERS))
SETUP_ROLES = tuple(map(str, roles.SETUP))
APPROVER_ROLES = tuple(map(str, roles.ASSESSMENT_APPROVERS))
USER_ADMIN_ROLES = tuple(map(str, roles.USER_ADMINS))
SUPERVISOR_ROLES = tuple(map(str, roles.STAFF_SUPERVISORS))


class Api(flask_smorest.Api):
    """flask-smorest Api that answers every HTTP error in the single error shape and documents
    that shape, each operation's error statuses and the time format (dispatch.api.openapi)."""

    ERROR_SCHEMA = openapi.ErrorOut

    def __init__(self, *args, **kwargs):
        self.query_guard = QueryGuard()  # unknown query parameters → 422 (dispatch.api.query)
        super().__init__(*args, **kwargs)

    def register_blueprint(self, blp, **options):
        self.query_guard.blueprints.add(options.get("name", blp.name))
        super().register_blueprint(blp, **options)

    def init_app(self, app, *, spec_kwargs=None):
        spec_kwargs = {**self._spec_kwargs, **(spec_kwargs or {})}
        spec_kwargs["extra_plugins"] = [
            *spec_kwargs.get("extra_plugins", ()),
            openapi.ContractPlugin(app),
        ]
        spec_kwargs["info"] = {
            "description": "\n\n".join(
                (openapi.TIME_FORMAT, openapi.ERROR_FORMAT, openapi.LIST_FORMAT)
            ),
            **spec_kwargs.get("info", {}),
        }
        super().init_app(app, spec_kwargs=spec_kwargs)
        openapi.register_components(self.spec)
        self.query_guard.init_app(app)

    def handle_http_exception(self, error):
        body = http_exception_body(error)
        response = jsonify(body)
        response.status_code = body["code"]
        return response


def transactional(view):
    """Commit once when the view returns; roll back on any error; then relay the outbox."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        session = db.session()
        try:
            result = view(*args, **kwargs)
            session.commit()
        except BaseException:
            session.rollback()
            outbox.take_new_ids(session)
            raise
        relay_after_commit(outbox.take_new_ids(session))
        return result

    return wrapper


def relay_after_commit(ids: list[int]) -> None:
    """Hand this transaction's side effects to the queue now; the relay loop is the backstop."""
    jobs.relay_soon(current_app.config["DISPATCH"], ids)


def current_actor() -> Actor:
    """Return the authenticated staff member or technician of this request."""
    claims = get_jwt()
    return Actor(
        kind="user",
        id=int(claims["sub"]),
        role=claims.get("role"),
        technician_id=claims.get("technician_id"),
        region_ids=tuple(claims.get("region_ids", [])),
        label=claims.get("username", ""),
    )


def require_role(*roles: str) -> None:
    """Raise unless the request carries a valid access token whose role is one of `roles`."""
    verify_jwt_in_request()
    if get_jwt().get("role") not in roles:
        raise PermissionDenied("Your role may not do this", details={"allowed_roles": list(roles)})


def roles_required(*roles: str):
    """Require a valid access token whose role is one of `roles`."""

    def decorator(view):
        @openapi.token_required
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            require_role(*roles)
            return view(*args, **kwargs)

        return caller_check(wrapper, functools.partial(require_role, *roles))

    return decorator


def list_operation(blp, args, page, *, roles: tuple[str, ...] = STAFF_ROLES):
    """Decorate a list view: the roles that may call it, its query arguments (`list_args`) and
    its page response (`page_schema`); the view gets the parsed arguments and calls one query."""

    def decorate(view):
        view = blp.response(200, page)(view)
        view = blp.arguments(args, location="query")(view)
        return roles_required(*roles)(view)

    return decorate


def require_technician() -> None:
    """Raise unless the request carries a technician's token of the mobile login."""
    require_role("technician")
    if token_channel(get_jwt()) != MOBILE:
        raise PermissionDenied("Use a token of the mobile login", error_code="wrong_token_channel")


def technician_required(view):
    """Require a technician's access token from the mobile login (/mobile/v1 only).

    A technician who logged in at the staff door holds a staff token: it does not open the app.
    """

    @openapi.token_required
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        require_technician()
        return view(*args, **kwargs)

    return caller_check(wrapper, require_technician)


def refresh_token_required(view):
    """Require a valid refresh token (401 without one; 403 when it is not the right kind)."""
    view = openapi.token_required(jwt_required(refresh=True)(view))
    return caller_check(view, functools.partial(verify_jwt_in_request, refresh=True))


def app_config():
    """Return the Config of the running app."""
    return current_app.config["DISPATCH"]
