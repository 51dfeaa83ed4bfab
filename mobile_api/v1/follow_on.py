"""A technician proposes a follow-on appointment of their visit (APT-4); only the customer or
an agent for them confirms it."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.api.fields import UTCDateTime
from dispatch.booking import follow_on
from dispatch.booking.rules import APPOINTMENT_KINDS
from dispatch.db import db
from dispatch.idempotency import idempotent
from mobile_api.v1 import blp
from mobile_api.v1.schemas import DeviceTimeIn


class FollowOnIn(DeviceTimeIn):
    window_start = UTCDateTime(required=True)
    window_end = UTCDateTime(required=True)
    kind = fields.String(load_default="repair", validate=validate.OneOf(APPOINTMENT_KINDS))
    duration_minutes = fields.Integer(load_default=None, validate=validate.Range(15, 8 * 60))
    note = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={"description": "What the next technician needs to know (APT-10)"},
    )


class FollowOnOut(Schema):
    id = fields.Integer()
    number = fields.String()
    follow_up_of_id = fields.Integer()
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    appointment_kind = fields.String(attribute="appointment.kind")
    appointment_status = fields.String(
        attribute="appointment.status",
        metadata={"description": "`proposed` until the customer or an agent confirms it"},
    )


@blp.route("/visits/<int:visit_id>/follow-on")
class ProposeFollowOn(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(FollowOnIn)
    @blp.response(201, FollowOnOut)
    def post(self, data, visit_id):
        """Propose a follow-on appointment from the site; the customer confirms it by link."""
        return follow_on.propose(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )
