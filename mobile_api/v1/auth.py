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
from dispatch.errors import PermissionDenied
from dispatch.users import service as users
from mobile_api.v1 import blp
from mobile_api.v1.schemas import MobileLoginIn, MobileTokensOut


@blp.route("/auth/login")
class MobileLogin(MethodView):
    @responds(403)  # staff credentials: the app is for technicians
    @login_limit
    @blp.arguments(MobileLoginIn)
    @blp.response(200, MobileTokensOut)
    @transactional
    def post(self, data):
        """Log in a technician on a device (ends that device's earlier session)."""
        user = users.authenticate(db.session, data["username"], data["password"])
        if user.role != "technician":
            raise PermissionDenied("Only technicians use the mobile app")
        return devices.login(db.session, user=user, device_id=data["device_id"])


@blp.route("/auth/refresh")
class MobileRefresh(MethodView):
    @refresh_token_required
    @blp.response(200, MobileTokensOut)
    @transactional
    def post(self):
        """Swap the refresh token for new tokens; each refresh token works once."""
        claims = get_jwt()
        if claims.get("dsid") is None:
            raise PermissionDenied("Not a device token", error_code="not_a_device_token")
        return devices.refresh(
            db.session, user_id=int(claims["sub"]), session_id=claims["dsid"], jti=claims["jti"]
        )


@blp.route("/auth/logout")
class MobileLogout(MethodView):
    @technician_required
    @blp.response(204)
    @transactional
    def post(self):
        """End this device's session: its access and refresh tokens stop working."""
        devices.logout(db.session, actor=current_actor(), session_id=get_jwt().get("dsid"))
