"""The dispatch queue: carried-over requests first (DSP-6, DSP-8)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from dispatch.api.base import STAFF_ROLES, current_actor, roles_required
from dispatch.api.fields import UTCDateTime
from dispatch.backlog import service
from dispatch.db import db

blp = Blueprint(
    "backlog", __name__, url_prefix="/api/v1/backlog", description="Requests awaiting dispatch"
)


class BacklogItemOut(Schema):
    id = fields.Integer()
    number = fields.String()
    priority = fields.String()
    status = fields.String()
    hold_reason = fields.String(allow_none=True)
    registered_at = UTCDateTime()
    carried_over_at = UTCDateTime(allow_none=True)
    carried_over = fields.Function(lambda r: r.carried_over_at is not None)


@blp.route("")
class Backlog(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, BacklogItemOut(many=True))
    def get(self):
        """List jobs awaiting a visit (new, reopened, on hold): carried over, priority, VIP, age."""
        return service.queue(db.session, actor=current_actor())
