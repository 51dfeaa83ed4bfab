"""Technician login per device; refresh tokens rotate per device; logout revokes them."""

from flask.views import MethodView
from flask_jwt_extended import get_jwt

from dispatch.api.base import (
    current_actor,
    refresh_token_required,
    technician_required,
    transactional,
)
from dispatch.api.limits import login_limit
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.devices import service as devices
from dispatch.devices.models import MOBILE
from dispatch.errors import AuthenticationFailed
from dispatch.users import service as users
from mobile_api.v1 import blp
from mobile_api.v1.schemas import MobileLoginIn, MobileTokensOut


@blp.route("/auth/login")
class MobileLogin(MethodView):
    @login_limit
    @blp.arguments(MobileLoginIn)
    @blp.response(200, MobileTokensOut)
    @transactional
    def post(self, data):
        """Log in a technician on a device (ends that device's earlier session).

        Staff credentials answer like wrong ones: the app is for technicians."""
        user = users.authenticate(db.session, data["username"], data["password"])
        if user.role != "technician":
            raise AuthenticationFailed(users.WRONG_CREDENTIALS)
        return devices.login(db.session, user=user, device_id=data["device_id"], channel=MOBILE)


@blp.route("/auth/refresh")
class MobileRefresh(MethodView):
    @refresh_token_required
    @responds(403)  # a refresh token of the staff login
    @blp.response(200, MobileTokensOut)
    @transactional
    def post(self):
        """Swap the refresh token for new tokens; each refresh token works once."""
        return devices.refresh(db.session, claims=get_jwt(), channel=MOBILE)


@blp.route("/auth/logout")
class MobileLogout(MethodView):
    @technician_required
    @blp.response(204)
    @transactional
    def post(self):
        """End this device's session: its access and refresh tokens stop working."""
        devices.logout(db.session, actor=current_actor(), session_id=get_jwt()["dsid"])
