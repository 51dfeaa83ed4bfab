"""A job's location mode and the appointments it needs (VCH-17)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import STAFF_ROLES, WRITE_ROLES, current_actor, roles_required, transactional
from dispatch.db import db
from dispatch.locationmodes import service
from dispatch.locationmodes.rules import LocationMode

blp = Blueprint("locationmodes", __name__, url_prefix="/api/v1", description="Job location modes")


class LocationModeIn(Schema):
    mode = fields.String(required=True, validate=validate.OneOf([m.value for m in LocationMode]))


class LocationModeOut(Schema):
    request_id = fields.Integer()
    mode = fields.String(allow_none=True)
    required = fields.List(
        fields.String(), metadata={"description": "Appointment kinds needed ('a|b': either)"}
    )
    missing = fields.List(fields.String(), metadata={"description": "Required, not booked yet"})


@blp.route("/requests/<int:request_id>/location-mode")
class JobLocation(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, LocationModeOut)
    def get(self, request_id):
        """Show where the job's work happens and which of its appointments are missing."""
        return service.show(session=db.session, actor=current_actor(), request_id=request_id)

    @roles_required(*WRITE_ROLES)
    @blp.arguments(LocationModeIn)
    @blp.response(200, LocationModeOut)
    @transactional
    def post(self, data, request_id):
        """Set the job's location mode: on site, workshop or customer drop-off (VCH-17)."""
        return service.set_mode(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )
