"""Staff login, token refresh and user administration."""

from flask import make_response
from flask.views import MethodView
from flask_jwt_extended import get_jwt, set_access_cookies, unset_jwt_cookies
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import (
    SUPERVISOR_ROLES,
    USER_ADMIN_ROLES,
    current_actor,
    list_operation,
    refresh_token_required,
    roles_required,
    transactional,
)
from dispatch.api.fields import UTCDateTime
from dispatch.api.limits import login_limit
from dispatch.api.listing import list_args, page_schema
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.devices import service as devices
from dispatch.devices.models import STAFF
from dispatch.users import handover, service
from dispatch.users.models import ROLES

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Staff login and users")


class LoginIn(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    role = fields.String()


class UserIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=3, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    region_ids = fields.List(fields.Integer(), load_default=list)


class UserChangeIn(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    region_ids = fields.List(fields.Integer())
    full_name = fields.String(validate=validate.Length(min=1, max=120))


class UserHandOverIn(Schema):
    to_user_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class OpenItemsOut(Schema):
    requests = fields.List(fields.Integer())
    complaints = fields.List(fields.Integer())
    phone_tasks = fields.List(fields.Integer())
    visits = fields.List(fields.Integer())


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    region_ids = fields.List(fields.Integer())
    active = fields.Boolean()


class UserListItemOut(UserOut):
    created_at = UTCDateTime()
    locked_until = UTCDateTime(allow_none=True)


UserListArgs = list_args(
    "UserListArgs",
    service.USER_SORTS,
    "username",
    role=fields.String(load_default=None, validate=validate.OneOf(ROLES)),
    active=fields.Boolean(load_default=None),
    region_id=fields.Integer(load_default=None, validate=validate.Range(1, 2**31 - 1)),
    q=fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The start of the username, or part of the full name"},
    ),
)
UserPage = page_schema(UserListItemOut, "UserPage")


@blp.route("/auth/login")
class Login(MethodView):
    @login_limit
    @blp.arguments(LoginIn)
    @blp.response(200, TokensOut)
    @transactional
    def post(self, data):
        """Log in with username and password; get access and refresh tokens of a new session."""
        user = service.authenticate(db.session, data["username"], data["password"])
        return devices.login(db.session, user=user, device_id=None, channel=STAFF)


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @refresh_token_required
    @responds(403)  # a refresh token of the mobile app
    @blp.response(200, TokensOut)
    @transactional
    def post(self):
        """Swap the refresh token for new tokens; each refresh token works once (a reused one
        ends the session)."""
        return devices.refresh(db.session, claims=get_jwt(), channel=STAFF)


@blp.route("/auth/logout")
class Logout(MethodView):
    @roles_required(*ROLES)
    @blp.response(204)
    @transactional
    def post(self):
        """End this login session: its access and refresh tokens stop working."""
        devices.logout(db.session, actor=current_actor(), session_id=get_jwt()["dsid"])


@blp.route("/auth/session")
class ConsoleSession(MethodView):
    @login_limit
    @blp.arguments(LoginIn)
    @blp.response(204)
    @transactional
    def post(self, data):
        """Log in the console: the access token comes back as an HttpOnly, SameSite=Strict
        cookie that page scripts cannot read, with a readable CSRF cookie whose value every
        write sends back in the X-CSRF-TOKEN header."""
        user = service.authenticate(db.session, data["username"], data["password"])
        tokens = devices.login(db.session, user=user, device_id=None, channel=STAFF)
        response = make_response("", 204)
        set_access_cookies(response, tokens["access_token"])
        return response

    @roles_required(*ROLES)
    @blp.response(204)
    @transactional
    def delete(self):
        """Log out of the console: the session ends and its cookies are removed."""
        devices.logout(db.session, actor=current_actor(), session_id=get_jwt()["dsid"])
        response = make_response("", 204)
        unset_jwt_cookies(response)
        return response


@blp.route("/users")
class Users(MethodView):
    @roles_required(*USER_ADMIN_ROLES)
    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    @transactional
    def post(self, data):
        """Create a user (administrators only)."""
        return service.create_user(session=db.session, actor=current_actor(), **data)

    @list_operation(blp, UserListArgs, UserPage, roles=SUPERVISOR_ROLES)
    def get(self, args):
        """List users who work in the regions I may see (administrators and managers)."""
        return service.list_users(db.session, current_actor(), **args)


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @roles_required(*USER_ADMIN_ROLES)
    @blp.arguments(UserChangeIn)
    @blp.response(200, UserOut)
    @transactional
    def patch(self, data, user_id):
        """Change a user's role, regions served or name (administrators only)."""
        actor = current_actor()
        user = handover.get_user(db.session, user_id, actor=actor)
        return service.update_user(session=db.session, actor=actor, user=user, **data)


@blp.route("/users/<int:user_id>/open-items")
class UserOpenItems(MethodView):
    @roles_required(*SUPERVISOR_ROLES)
    @blp.response(200, OpenItemsOut)
    def get(self, user_id):
        """The open work the user owns (ROL-4/6): it must move before they can leave."""
        user = handover.get_user(db.session, user_id, actor=current_actor())
        return handover.open_items(db.session, user)


@blp.route("/users/<int:user_id>/hand-over")
class HandOver(MethodView):
    @roles_required(*SUPERVISOR_ROLES)
    @blp.arguments(UserHandOverIn)
    @blp.response(200, OpenItemsOut)
    @transactional
    def post(self, data, user_id):
        """Give the user's open requests, complaints and phone tasks to another staff member;
        answers what is left (a technician's visits are rebooked by dispatch)."""
        return handover.hand_over(db.session, actor=current_actor(), user_id=user_id, **data)


@blp.route("/users/<int:user_id>/deactivate")
class Deactivate(MethodView):
    @roles_required(*USER_ADMIN_ROLES)
    @blp.response(200, UserOut)
    @transactional
    def post(self, user_id):
        """Deactivate a user who owns no open work (409 open_items otherwise, ROL-6)."""
        return handover.deactivate(db.session, actor=current_actor(), user_id=user_id)
