"""A visit's assignment history (DSP-4)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import (
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.api.fields import UTCDateTime
from dispatch.assignments import handover, service, transfers
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
    handover_note = fields.String(allow_none=True)
    handover_owner_id = fields.Integer(allow_none=True)
    handover_at = UTCDateTime(allow_none=True)


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


class DayQuery(Schema):
    day = fields.Date(required=True)


class UnfinishedOut(Schema):
    visit_id = fields.Integer()
    visit_number = fields.String()
    technician_id = fields.Integer()
    visit_status = fields.String()
    handover_note = fields.String(allow_none=True)
    handover_owner_id = fields.Integer(allow_none=True)
    handover_at = UTCDateTime(allow_none=True)
    needs_handover = fields.Boolean()


class HandoverIn(Schema):
    note = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    next_owner_id = fields.Integer(required=True)


class ShiftCloseOut(Schema):
    id = fields.Integer()
    region_id = fields.Integer()
    day = fields.Date()
    closed_by_id = fields.Integer()
    closed_at = UTCDateTime()


@blp.route("/regions/<int:region_id>/day-end")
class DayEnd(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(DayQuery, location="query")
    @blp.response(200, UnfinishedOut(many=True))
    def get(self, query, region_id):
        """List the jobs dispatched on the day and not finished, with their handover (DSP-9)."""
        return handover.unfinished(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            region_id=region_id,
            **query,
        )


@blp.route("/visits/<int:visit_id>/handover")
class Handover(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(HandoverIn)
    @blp.response(200, AssignmentOut)
    @transactional
    def post(self, data, visit_id):
        """Hand an unfinished job over: a note and its next owner (DSP-9)."""
        return handover.hand_over(
            session=db.session, actor=current_actor(), visit_id=visit_id, **data
        )


@blp.route("/regions/<int:region_id>/shift-close")
class ShiftClose(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(DayQuery)
    @blp.response(201, ShiftCloseOut)
    @transactional
    def post(self, data, region_id):
        """Close the day's dispatch shift; refused while an unfinished job lacks a handover."""
        return handover.close_shift(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            region_id=region_id,
            **data,
        )


class JobTransferIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))
    to_region_id = fields.Integer(load_default=None)
    to_department = fields.String(load_default=None, validate=validate.Length(min=2, max=64))


class JobTransferOut(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    from_region_id = fields.Integer(allow_none=True)
    to_region_id = fields.Integer(allow_none=True)
    to_department = fields.String(allow_none=True)
    reason = fields.String()
    by_id = fields.Integer()
    at = UTCDateTime()


@blp.route("/requests/<int:request_id>/transfer")
class Transfer(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(JobTransferIn)
    @blp.response(201, JobTransferOut)
    @transactional
    def post(self, data, request_id):
        """Hand the job to another region or department with the reason (DSP-13)."""
        return transfers.hand_over(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )


@blp.route("/transfers")
class Transfers(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, JobTransferOut(many=True))
    def get(self):
        """Handovers sent from or to my regions: the sender keeps sight of each (DSP-13)."""
        return transfers.transfers(session=db.session, actor=current_actor())
