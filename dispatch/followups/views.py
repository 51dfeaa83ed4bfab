"""Staff follow-up endpoints: the list (with overdue ones) and phone-task outcomes."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    FOLLOWUP_ROLES,
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.followups import schemas, service

blp = Blueprint(
    "followups", __name__, url_prefix="/api/v1/followups", description="Satisfaction follow-ups"
)


@blp.route("")
class FollowUps(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.FollowUpListArgs, location="query")
    @blp.response(200, schemas.FollowUpPage)
    def get(self, args):
        """List follow-ups of the regions I may see, newest first (keyset pages); filter by
        status, `overdue=true` (not sent by the deadline, FUP-1), visit, customer or region."""
        return service.list_followups(db.session, actor=current_actor(), **args)


@blp.route("/<int:followup_id>")
class FollowUpById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.FollowUpListItemOut)
    def get(self, followup_id):
        """Read one follow-up with its survey answers."""
        return service.get_followup_for(db.session, current_actor(), followup_id)


@blp.route("/<int:followup_id>/phone-outcome")
class PhoneOutcome(MethodView):
    @roles_required(*FOLLOWUP_ROLES)
    @blp.arguments(schemas.SurveyIn)
    @blp.response(200, schemas.FollowUpRecordOut)
    @transactional
    def post(self, data, followup_id):
        """Enter the answers given on the phone-task call (FUP-4)."""
        return service.record_phone_outcome(
            db.session,
            actor=current_actor(),
            config=app_config(),
            followup_id=followup_id,
            survey=data,
        )


@blp.route("/<int:followup_id>/delegate")
class Delegate(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.DelegateIn)
    @blp.response(200, schemas.FollowUpRecordOut)
    @transactional
    def post(self, data, followup_id):
        """Delegate a phone follow-up to a named colleague when going off shift (FUP-6)."""
        return service.delegate(db.session, actor=current_actor(), followup_id=followup_id, **data)


@blp.route("/<int:followup_id>/reopen-job")
class ReopenJob(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ReopenIn)
    @blp.response(200, schemas.FollowUpRecordOut)
    @transactional
    def post(self, data, followup_id):
        """Reopen the job after an unsatisfied follow-up, for a return visit (FUP-5)."""
        return service.reopen_after_followup(
            db.session, actor=current_actor(), config=app_config(), followup_id=followup_id, **data
        )
