"""Today's route and the status changes of a visit.

Every write requires an Idempotency-Key (replays return the stored response; none is 428) and
takes an optional If-Match; editing the after-service record requires If-Match, because the
dispatcher may be changing the same visit.
"""

from flask.views import MethodView

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.assessments import service as assessments
from dispatch.assignments import service as assignments
from dispatch.db import db
from dispatch.errors import NotFound
from dispatch.idempotency import idempotent
from dispatch.knowledge.hints import with_hints
from dispatch.knowledge.segment import app_segmenter
from dispatch.visits import fieldwork, lateness, sync
from dispatch.visits import service as visits
from dispatch.vouchers.views import pdf_response
from mobile_api.v1 import blp
from mobile_api.v1.preconditions import if_match, with_visit_etag
from mobile_api.v1.schemas import (
    ArriveIn,
    AssessmentIn,
    CompleteIn,
    DelayIn,
    DeviceTimeIn,
    PauseIn,
    RouteVisitOut,
    SafetyCheckIn,
    SignatureIn,
    SyncOut,
    SyncQuery,
    TechnicianVisitOut,
    TodayQuery,
    UnableIn,
    WorkRecordIn,
)


@blp.route("/visits/today")
class Today(MethodView):
    @technician_required
    @blp.arguments(TodayQuery, location="query")
    @blp.response(200, RouteVisitOut(many=True))
    def get(self, query):
        """List my visits of a day (default today, in my region's zone), in route order, each
        with its top 3 knowledge hints."""
        actor = current_actor()
        day = visits.todays_visits(
            session=db.session, actor=actor, config=app_config(), day=query["day"]
        )
        return with_hints(db.session, actor=actor, visits=day, cut=app_segmenter().cut)


@blp.route("/sync")
class Sync(MethodView):
    @technician_required
    @blp.arguments(SyncQuery, location="query")
    @blp.response(200, SyncOut)
    def get(self, query):
        """List what changed on my visits since the last sync (created, updated, deleted); each
        visit carries its top 3 knowledge hints."""
        actor = current_actor()
        changes = sync.changes_since(session=db.session, actor=actor, since=query["since"])
        changes["visits"] = with_hints(
            db.session, actor=actor, visits=changes["visits"], cut=app_segmenter().cut
        )
        return changes


@blp.route("/visits/<int:visit_id>")
class OneVisit(MethodView):
    @technician_required
    @with_visit_etag
    @blp.response(200, TechnicianVisitOut)
    def get(self, visit_id):
        """Show one of my visits, with its ETag."""
        return visits.get_for_technician(db.session, current_actor(), visit_id)


@blp.route("/visits/<int:visit_id>/voucher.pdf")
class VoucherPdf(MethodView):
    @technician_required
    @blp.response(200, content_type="application/pdf")
    def get(self, visit_id):
        """Download the voucher of my visit as a PDF (to show or send the customer)."""
        visit = visits.get_for_technician(db.session, current_actor(), visit_id)
        if visit.voucher is None or visit.voucher.awaiting_record:
            raise NotFound("The visit's voucher has no record of the work yet")
        return pdf_response(visit.voucher, current_actor())


def _write_route(rule, endpoint, schema, action, summary, *, method="post", etag_required=False):
    """Register one use-case write on a visit: idempotent, ETag-checked, one service call."""

    def view(self, data, visit_id):
        return action(session=db.session, actor=current_actor(), visit_id=visit_id, **data)

    view.__doc__ = summary
    view = blp.response(200, TechnicianVisitOut)(view)
    view = blp.arguments(schema)(view)
    view = blp.doc(parameters=_write_headers(etag_required))(view)
    view = technician_required(idempotent(if_match(etag_required)(with_visit_etag(view))))
    blp.route(rule, endpoint=endpoint)(type(endpoint, (MethodView,), {method: view}))


def _write_headers(etag_required: bool) -> list[dict]:
    return [
        {
            "in": "header",
            "name": "If-Match",
            "required": etag_required,
            "schema": {"type": "string"},
            "description": "The visit's ETag; a stale one is 412" + (", none 428" * etag_required),
        },
    ]


def _with_config(action):
    def call(**kwargs):
        return action(config=app_config(), **kwargs)

    return call


def _submit_assessment(*, session, actor, visit_id, device_time, diagnosis, proposed_solution):
    assessments.submit(
        session=session,
        actor=actor,
        visit_id=visit_id,
        diagnosis=diagnosis,
        proposed_solution=proposed_solution,
    )
    return visits.get_for_technician(session, actor, visit_id)


def _accept_job(*, session, actor, visit_id, device_time):
    assignments.accept(session=session, actor=actor, visit_id=visit_id, device_time=device_time)
    return visits.get_for_technician(session, actor, visit_id)


_write_route(
    "/visits/<int:visit_id>/accept",
    "AcceptJob",
    DeviceTimeIn,
    _accept_job,
    "Accept (接单) the job assigned to me; the dispatcher is alerted if nobody accepts in time.",
)
_write_route(
    "/visits/<int:visit_id>/assessment",
    "SubmitAssessment",
    AssessmentIn,
    _submit_assessment,
    "Submit diagnosis and proposed solution for a supervisor's approval (VCH-5).",
)
_write_route(
    "/visits/<int:visit_id>/depart",
    "Depart",
    DeviceTimeIn,
    _with_config(fieldwork.depart),
    "Set off to the customer (en route): a confirmed appointment of today, or a released visit.",
)
_write_route(
    "/visits/<int:visit_id>/arrive",
    "Arrive",
    ArriveIn,
    _with_config(fieldwork.arrive),
    "Check in at the customer's site; far from the site is flagged.",
)
_write_route(
    "/visits/<int:visit_id>/delay",
    "AnnounceDelay",
    DelayIn,
    _with_config(lateness.announce_delay),
    "Running late: the customer gets a delay SMS with the new ETA (APT-9).",
)
_write_route(
    "/visits/<int:visit_id>/safety-check",
    "SafetyCheck",
    SafetyCheckIn,
    fieldwork.safety_check,
    "Record a hazardous job's pre-work checklist and second person (before work starts).",
)
_write_route(
    "/visits/<int:visit_id>/start",
    "StartWork",
    DeviceTimeIn,
    fieldwork.start_work,
    "Start or resume the work on site.",
)
_write_route(
    "/visits/<int:visit_id>/pause",
    "PauseWork",
    PauseIn,
    fieldwork.pause,
    "Pause the work, with the reason.",
)
_write_route(
    "/visits/<int:visit_id>/unable",
    "UnableToComplete",
    UnableIn,
    _with_config(fieldwork.unable_to_complete),
    "Leave without finishing: the job waits for a proposed follow-on visit; the customer is told.",
)
_write_route(
    "/visits/<int:visit_id>/complete",
    "Complete",
    CompleteIn,
    _with_config(fieldwork.complete),
    "Finish the visit with the customer's signature on the voucher, or the reason it is missing.",
)
_write_route(
    "/visits/<int:visit_id>/record",
    "WorkRecord",
    WorkRecordIn,
    fieldwork.record_work,
    "Write diagnosis, work done and solution (needs If-Match: the dispatcher may edit too).",
    method="patch",
    etag_required=True,
)
_write_route(
    "/visits/<int:visit_id>/voucher/signature",
    "SignVoucher",
    SignatureIn,
    fieldwork.sign_voucher,
    "Take the customer's signature on the voucher after completion.",
)
