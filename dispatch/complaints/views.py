"""Complaint endpoints: intake, list, read, and one verb per handling step."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.complaints import schemas, service, workflow
from dispatch.db import db

blp = Blueprint(
    "complaints", __name__, url_prefix="/api/v1/complaints", description="Complaints and SLAs"
)


@blp.route("")
class Complaints(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ComplaintIn)
    @blp.response(201, schemas.ComplaintOut)
    @transactional
    def post(self, data):
        """Register a complaint; whoever takes it is its first-responsible owner (首问负责)."""
        actor = current_actor()
        return service.open_complaint(
            session=db.session, actor=actor, config=app_config(), owner_id=actor.id, **data
        )

    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.ComplaintListArgs, location="query")
    @blp.response(200, schemas.ComplaintOut(many=True))
    def get(self, args):
        """List complaints, newest first; `overdue=true` gives those with a breached clock."""
        return service.list_complaints(db.session, **args)


@blp.route("/<int:complaint_id>")
class ComplaintById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.ComplaintOut)
    def get(self, complaint_id):
        """Read one complaint with its clocks, transfers and escalations."""
        return service.get_complaint(db.session, complaint_id)


def _step(path: str, schema, use_case, doc: str, needs_config: bool = False) -> None:
    """Register POST /complaints/<id>/<path> calling one workflow use case."""

    @roles_required(*WRITE_ROLES)
    @blp.arguments(schema)
    @blp.response(200, schemas.ComplaintOut)
    @transactional
    def post(self, data, complaint_id):
        extra = {"config": app_config()} if needs_config else {}
        return use_case(
            session=db.session, actor=current_actor(), complaint_id=complaint_id, **extra, **data
        )

    post.__doc__ = doc
    name = "Complaint" + "".join(part.title() for part in path.split("-"))
    blp.route(f"/<int:complaint_id>/{path}")(type(name, (MethodView,), {"post": post}))


_step("responses", schemas.ResponseIn, workflow.respond, "Respond to the customer (CMP-7).")
_step("transfer", schemas.HandOverIn, workflow.transfer, "Hand over to another handler.")
_step("forward", schemas.HandOverIn, workflow.forward, "Forward to customer service (CMP-5).")
_step("investigation", schemas.InvestigationIn, workflow.investigate, "Record the findings.")
_step(
    "plan", schemas.ResolutionPlanIn, workflow.propose_plan, "Propose a resolution plan (CMP-13)."
)
_step("decision", schemas.DecisionIn, workflow.record_decision, "Record the customer's answer.")
_step("resolve", schemas.ResolveIn, workflow.resolve, "Record the resolution.", True)
_step("follow-up", schemas.ComplaintFollowUpIn, workflow.follow_up, "Record the follow-up (FUP-7).")
_step("close", schemas.CloseIn, workflow.close, "Close with the reply to the customer (CMP-19).")
