"""A visit's assignment history (DSP-4)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from dispatch.api.base import (
    STAFF_ROLES,
    WRITE_ROLES,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.api.fields import UTCDateTime
from dispatch.assignments import service
from dispatch.db import db
from dispatch.visits.schemas import VisitOut

blp = Blueprint(
    "assignments", __name__, url_prefix="/api/v1", description="Job assignments and acceptance"
)


class AssignmentOut(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    technician_id = fields.Integer()
    assigned_by_id = fields.Integer(allow_none=True)
    source = fields.String()
    reason = fields.String(allow_none=True)
    status = fields.String()
    assigned_at = UTCDateTime()
    accept_due_at = UTCDateTime()
    pushed_at = UTCDateTime(allow_none=True)
    accepted_at = UTCDateTime(allow_none=True)
    alerted_at = UTCDateTime(allow_none=True)
    ended_at = UTCDateTime(allow_none=True)
    check_due_at = UTCDateTime(allow_none=True)
    check_raised_at = UTCDateTime(allow_none=True)
    arrival_due_at = UTCDateTime(allow_none=True)
    arrival_breached_at = UTCDateTime(allow_none=True)


class SimpleIn(Schema):
    simple = fields.Boolean(required=True)


@blp.route("/visits/<int:visit_id>/simple")
class MarkSimple(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(SimpleIn)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Mark a job simple: the dispatcher gets a check task 1 h after dispatch (DSP-10)."""
        return service.mark_simple(
            session=db.session, actor=current_actor(), visit_id=visit_id, **data
        )


@blp.route("/visits/<int:visit_id>/assignments")
class VisitAssignments(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, AssignmentOut(many=True))
    def get(self, visit_id):
        """List who assigned the visit to whom, when and why, and each acceptance (接单)."""
        return service.visit_history(session=db.session, actor=current_actor(), visit_id=visit_id)
