"""Complaint endpoints: intake, list, read, one verb per handling step, the customer's link."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    SETUP_ROLES,
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    list_operation,
    roles_required,
    transactional,
)
from dispatch.complaints import (
    casework,
    first_response,
    governance,
    schemas,
    service,
    workflow,
)
from dispatch.complaints.rules import GOVERNANCE_ROLES, ROUTE_KEEPERS
from dispatch.db import db

blp = Blueprint(
    "complaints", __name__, url_prefix="/api/v1/complaints", description="Complaints and SLAs"
)
CASE_ROLES = tuple(dict.fromkeys((*WRITE_ROLES, *GOVERNANCE_ROLES)))
READ_ROLES = tuple(dict.fromkeys((*STAFF_ROLES, *GOVERNANCE_ROLES)))


@blp.route("")
class Complaints(MethodView):
    @roles_required(*CASE_ROLES)
    @blp.arguments(schemas.ComplaintIn)
    @blp.response(201, schemas.ComplaintOut)
    @transactional
    def post(self, data):
        """Register a complaint; whoever takes it is its first-responsible owner (首问负责)."""
        actor = current_actor()
        return service.open_complaint(
            session=db.session, actor=actor, config=app_config(), owner_id=actor.id, **data
        )

    @list_operation(blp, schemas.ComplaintListArgs, schemas.ComplaintPage, roles=READ_ROLES)
    def get(self, args):
        """List complaints of the regions I may see, newest first (keyset pages); filter by
        `overdue=true` (a breached clock), status, visit, customer or region."""
        return service.list_complaints(db.session, actor=current_actor(), **args)


@blp.route("/<int:complaint_id>")
class ComplaintById(MethodView):
    @roles_required(*READ_ROLES)
    @blp.response(200, schemas.ComplaintOut)
    def get(self, complaint_id):
        """Read one complaint with its clocks, steps, appeals, jobs and escalations."""
        return service.get_complaint_for(db.session, current_actor(), complaint_id)


def _step(path: str, schema, use_case, doc: str, out=schemas.ComplaintOut, status=200) -> None:
    """Register POST /complaints/<id>/<path> calling one use case."""

    @roles_required(*CASE_ROLES)
    @blp.arguments(schema)
    @blp.response(status, out)
    @transactional
    def post(self, data, complaint_id, **ids):
        return use_case(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            complaint_id=complaint_id,
            **ids,
            **data,
        )

    post.__doc__ = doc
    name = "Complaint" + "".join(part.title() for part in path.replace("/", "-").split("-"))
    name = "".join(ch for ch in name if ch.isalnum())
    blp.route(f"/<int:complaint_id>/{path}")(type(name, (MethodView,), {"post": post}))


_step("responses", schemas.ResponseIn, workflow.respond, "Respond to the customer (CMP-7).")
_step("transfer", schemas.HandOverIn, workflow.transfer, "Hand over to another handler.")
_step("forward", schemas.HandOverIn, workflow.forward, "Forward to customer service (CMP-5).")
_step("case-decision", schemas.CaseDecisionIn, governance.decide_case, "Open the case or not.")
_step("investigation", schemas.InvestigationIn, workflow.investigate, "Record the findings.")
_step("assists", schemas.AssistIn, casework.request_assist, "Send an assist request (CMP-12).")
_step(
    "assists/<int:assist_id>/done",
    schemas.AssistDoneIn,
    casework.complete_assist,
    "Record a department's answer to an assist request (CMP-12).",
)
_step("plan", schemas.ResolutionPlanIn, workflow.propose_plan, "Propose a solution (CMP-13).")
_step("decision", schemas.DecisionIn, governance.record_decision, "Record the customer's answer.")
_step("appeal-decision", schemas.AppealDecisionIn, governance.decide_appeal, "Re-evaluate.")
_step("gm-decision", schemas.GmDecisionIn, governance.gm_decide, "Decide as GM (CMP-14).")
_step("review", schemas.ReviewIn, governance.review, "Review a serious complaint (CMP-16).")
_step("jobs", schemas.JobIn, casework.create_job, "Create a linked job (CMP-15).")
_step("service-report", schemas.ReportIn, casework.report, "Report to head office (CMP-15).")
_step("resolve", schemas.ResolveIn, workflow.resolve, "Record the resolution.")
_step("follow-up", schemas.ComplaintFollowUpIn, workflow.follow_up, "Record the follow-up (FUP-7).")
_step("close", schemas.CloseIn, workflow.close, "Close with the reply to the customer (CMP-19).")
_step(
    "special-notes",
    schemas.NoteIn,
    casework.add_note,
    "Attach a special note to the customer (CMP-20).",
    out=schemas.NoteOut,
    status=201,
)


@blp.route("/customers/<int:customer_id>/special-notes")
class CustomerNotes(MethodView):
    @roles_required(*READ_ROLES)
    @blp.response(200, schemas.NoteOut(many=True))
    def get(self, customer_id):
        """A customer's special notes, for dispatchers (CMP-20; never on customer pages)."""
        return casework.notes_of_customer(db.session, customer_id, actor=current_actor())


@blp.route("/requests/<int:request_id>/special-notes")
class RequestNotes(MethodView):
    @roles_required(*READ_ROLES)
    @blp.response(200, schemas.NoteOut(many=True))
    def get(self, request_id):
        """The special notes on this job's customer, for its dispatcher (CMP-20; staff only)."""
        return casework.notes_for_request(db.session, current_actor(), request_id)


@blp.route("/service-reports")
class ServiceReports(MethodView):
    @roles_required(*READ_ROLES)
    @blp.arguments(schemas.ServiceReportArgs, location="query")
    @blp.response(200, schemas.ServiceReportOut(many=True))
    def get(self, args):
        """Service reports of hard complaints for head office, newest first (CMP-15)."""
        return casework.service_reports(db.session, current_actor(), **args)


@blp.route("/compensations")
class Compensations(MethodView):
    @roles_required(*CASE_ROLES)
    @blp.arguments(schemas.CompensationIn)
    @blp.response(201, schemas.CompensationOut)
    @transactional
    def post(self, data):
        """Record compensation on a complaint or a job (CMP-21)."""
        return casework.compensate(
            session=db.session, actor=current_actor(), config=app_config(), **data
        )


@blp.route("/routes")
class Routes(MethodView):
    @roles_required(*SETUP_ROLES, *ROUTE_KEEPERS)
    @blp.arguments(schemas.ComplaintRouteIn)
    @blp.response(201, schemas.ComplaintRouteOut)
    @transactional
    def post(self, data):
        """Route complaints by category and department to a handler (CMP-4)."""
        return casework.set_route(session=db.session, **data)

    @roles_required(*READ_ROLES)
    @blp.response(200, schemas.ComplaintRouteOut(many=True))
    def get(self):
        """List the handler routes."""
        return casework.list_routes(db.session)


@blp.route("/requests/<int:request_id>/first-response")
class RequestFirstResponse(MethodView):
    @roles_required(*CASE_ROLES)
    @blp.arguments(schemas.FirstResponseIn)
    @blp.response(200, schemas.FirstResponseOut)
    @transactional
    def post(self, data, request_id):
        """Give a request its first response with a timetable (CMP-7, within 24 h)."""
        return first_response.respond(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )
