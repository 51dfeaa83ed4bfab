"""Parts per job (VCH-16)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import (
    STAFF_ROLES,
    WRITE_ROLES,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.api.fields import UTCDateTime
from dispatch.db import db
from dispatch.jobparts import service
from dispatch.jobparts.rules import JobPartStatus

blp = Blueprint("jobparts", __name__, url_prefix="/api/v1", description="Parts per job")


class JobPartIn(Schema):
    part_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = fields.Integer(load_default=1, validate=validate.Range(1, 999))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class JobPartMoveIn(Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in JobPartStatus if s != JobPartStatus.NEEDED]),
    )


class JobPartOut(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    part_code = fields.String()
    quantity = fields.Integer()
    status = fields.String()
    note = fields.String(allow_none=True)
    needed_at = UTCDateTime()
    ordered_at = UTCDateTime(allow_none=True)
    ready_at = UTCDateTime(allow_none=True)
    used_at = UTCDateTime(allow_none=True)


@blp.route("/requests/<int:request_id>/parts")
class RequestParts(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, JobPartOut(many=True))
    def get(self, request_id):
        """List the job's parts and where each stands (VCH-16)."""
        return service.for_request(session=db.session, actor=current_actor(), request_id=request_id)

    @roles_required(*WRITE_ROLES)
    @blp.arguments(JobPartIn)
    @blp.response(201, JobPartOut)
    @transactional
    def post(self, data, request_id):
        """Record a part the job needs (status needed)."""
        return service.add(session=db.session, actor=current_actor(), request_id=request_id, **data)


@blp.route("/job-parts/<int:job_part_id>/status")
class JobPartStatusView(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(JobPartMoveIn)
    @blp.response(200, JobPartOut)
    @transactional
    def post(self, data, job_part_id):
        """Move a part on: ordered, ready, used, or cancelled."""
        return service.move(
            session=db.session, actor=current_actor(), job_part_id=job_part_id, **data
        )
