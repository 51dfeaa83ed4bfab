"""Staff login, token refresh and user administration."""

from flask.views import MethodView
from flask_jwt_extended import get_jwt_identity
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import (
    current_actor,
    refresh_token_required,
    roles_required,
    transactional,
)
from dispatch.api.limits import login_limit
from dispatch.db import db
from dispatch.users import service
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


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    full_name = fields.String()
    role = fields.String()
    region_ids = fields.List(fields.Integer())
    active = fields.Boolean()


@blp.route("/auth/login")
class Login(MethodView):
    @login_limit
    @blp.arguments(LoginIn)
    @blp.response(200, TokensOut)
    def post(self, data):
        """Log in with username and password; get access and refresh tokens."""
        user = service.authenticate(db.session, data["username"], data["password"])
        return service.tokens_for(db.session, user)


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @refresh_token_required
    @blp.response(200, TokensOut)
    def post(self):
        """Trade a refresh token for a new access token."""
        return service.refresh(db.session, int(get_jwt_identity()))


@blp.route("/users")
class Users(MethodView):
    @roles_required("admin")
    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    @transactional
    def post(self, data):
        """Create a user (administrators only)."""
        return service.create_user(session=db.session, actor=current_actor(), **data)
