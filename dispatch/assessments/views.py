"""Assessment approval by a supervisor (VCH-5)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import APPROVER_ROLES, current_actor, roles_required, transactional
from dispatch.api.fields import UTCDateTime
from dispatch.assessments import service
from dispatch.db import db

blp = Blueprint(
    "assessments", __name__, url_prefix="/api/v1/assessments", description="Assessments"
)


class SupervisedAssessmentOut(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    diagnosis = fields.String()
    proposed_solution = fields.String()
    status = fields.String()
    submitted_by_id = fields.Integer()
    submitted_at = UTCDateTime()
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = UTCDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    sent_at = UTCDateTime(allow_none=True)


class AssessmentDecisionIn(Schema):
    approve = fields.Boolean(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=500))


@blp.route("/<int:assessment_id>/decision")
class Decision(MethodView):
    @roles_required(*APPROVER_ROLES)
    @blp.arguments(AssessmentDecisionIn)
    @blp.response(200, SupervisedAssessmentOut)
    @transactional
    def post(self, data, assessment_id):
        """Approve (the customer gets it at once, VCH-5) or reject the assessment."""
        return service.decide(
            session=db.session, actor=current_actor(), assessment_id=assessment_id, **data
        )
