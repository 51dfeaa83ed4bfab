"""A staff member's alerts."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from dispatch.alerts import service
from dispatch.api.base import STAFF_ROLES, current_actor, roles_required
from dispatch.api.fields import UTCDateTime
from dispatch.db import db

blp = Blueprint("alerts", __name__, url_prefix="/api/v1/alerts", description="Staff alerts")


class AlertOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    complaint_id = fields.Integer(allow_none=True)
    followup_id = fields.Integer(allow_none=True)
    created_at = UTCDateTime()


@blp.route("")
class Alerts(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, AlertOut(many=True))
    def get(self):
        """List my alerts, newest first."""
        return service.mine(db.session, current_actor())
