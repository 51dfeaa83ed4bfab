"""Technician login from a device."""

from flask.views import MethodView

from dispatch.api.limits import login_limit
from dispatch.db import db
from dispatch.errors import PermissionDenied
from dispatch.users import service as users
from mobile_api.v1 import blp
from mobile_api.v1.schemas import MobileLoginIn, MobileTokensOut


@blp.route("/auth/login")
class MobileLogin(MethodView):
    @login_limit
    @blp.arguments(MobileLoginIn)
    @blp.response(200, MobileTokensOut)
    def post(self, data):
        """Log in a technician on a device."""
        user = users.authenticate(db.session, data["username"], data["password"])
        if user.role != "technician":
            raise PermissionDenied("Only technicians use the mobile app")
        return users.tokens_for(db.session, user)
