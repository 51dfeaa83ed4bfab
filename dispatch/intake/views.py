"""The single intake API (一口对外)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    INTAKE_ROLES,
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    list_operation,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.intake import contacts, customer_file, ownership, schemas, service, triage

blp = Blueprint(
    "requests",
    __name__,
    url_prefix="/api/v1/requests",
    description="Service requests from every channel",
)


def _request_write(rule, endpoint, schema, action, summary, *, status=200, out=schemas.RequestOut):
    """Register one use-case write on a request: the assigners' roles, one transaction, one
    service call with the request id and the body."""

    def post(self, data, request_id):
        return action(session=db.session, actor=current_actor(), request_id=request_id, **data)

    post.__doc__ = summary
    view = blp.response(status, out)(transactional(post))
    view = roles_required(*WRITE_ROLES)(blp.arguments(schema)(view))
    blp.route(rule, endpoint=endpoint)(type(endpoint, (MethodView,), {"post": view}))


@blp.route("")
class Requests(MethodView):
    @list_operation(blp, schemas.RequestListArgs, schemas.RequestPage)
    def get(self, args):
        """List and search requests of the regions I may see, newest first (keyset pages)."""
        return service.list_requests(db.session, current_actor(), **args)

    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.RequestIn)
    @blp.response(201, schemas.RequestOut)
    @transactional
    def post(self, data):
        """Register a request; the server stamps the time and the registrar."""
        return service.register_request(
            session=db.session,
            actor=current_actor(),
            timezone=app_config().default_timezone,
            config=app_config(),
            **data,
        )


@blp.route("/customer-file/<int:customer_id>")
class CustomerFile(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.CustomerFileOut)
    def get(self, customer_id):
        """The caller's history before a new request: requests, jobs, vouchers, complaints,
        special notes (INT-5, INT-7)."""
        return customer_file.customer_file(db.session, current_actor(), customer_id)


@blp.route("/unconfirmed")
class Unconfirmed(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.UnconfirmedQuery, location="query")
    @blp.response(200, schemas.RequestBriefOut(many=True))
    def get(self, query):
        """Open requests whose details were not read back and confirmed (INT-6), newest first."""
        return triage.unconfirmed(db.session, current_actor(), **query)


_request_write(
    "/<int:request_id>/contacts",
    "Contacts",
    schemas.ContactIn,
    contacts.log_contact,
    "Log a call or app message with the customer on the request (INT-13).",
    status=201,
    out=schemas.TimelineEntryOut,
)


@blp.route("/<int:request_id>/timeline")
class Timeline(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.TimelineEntryOut(many=True))
    def get(self, request_id):
        """Every contact on the request: calls, SMS, visits, app messages, oldest first (INT-13)."""
        return contacts.timeline(db.session, current_actor(), request_id)


_request_write(
    "/<int:request_id>/read-back",
    "ReadBack",
    schemas.ReadBackIn,
    triage.confirm_details,
    "Fault, address and requested time read back and agreed; an SMS restates them (INT-6).",
)


@blp.route("/answer-overdue")
class AnswerOverdue(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.AnswerDueOut(many=True))
    def get(self):
        """Job requests 72 h after registration without a specific answer (APT-12)."""
        return triage.answer_overdue(db.session, current_actor())


@blp.route("/<int:request_id>")
class RequestById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.RequestOut)
    def get(self, request_id):
        """Read one request."""
        return service.get_request(db.session, request_id, actor=current_actor())


@blp.route("/<int:request_id>/owner")
class RequestOwner(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.OwnerIn)
    @blp.response(200, schemas.RequestOut)
    @transactional
    def post(self, data, request_id):
        """Name the job's new current owner, with the reason; never nobody (ROL-4)."""
        return ownership.change_owner(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )


@blp.route("/<int:request_id>/close")
class CloseRequest(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.RequestOut)
    @transactional
    def post(self, request_id):
        """Close a completed job: voucher archived, fix confirmed by the customer (VCH-11)."""
        return service.close_request(
            session=db.session, actor=current_actor(), request_id=request_id
        )


_request_write(
    "/<int:request_id>/diagnosis",
    "Diagnosis",
    schemas.DiagnosisIn,
    triage.record_diagnosis,
    "Record the preliminary diagnosis (INT-9).",
)


_request_write(
    "/<int:request_id>/resolve",
    "Resolve",
    schemas.ResolveWithoutVisitIn,
    triage.resolve_without_visit,
    "Close a request answered on the spot or solved remotely, keeping the answer (INT-9).",
)


_request_write(
    "/<int:request_id>/scope",
    "Scope",
    schemas.ScopeIn,
    triage.check_scope,
    "Record the scope check and service class; out of scope ends it (INT-10).",
)


_request_write(
    "/<int:request_id>/supplement",
    "Supplement",
    schemas.SupplementIn,
    triage.ask_supplement,
    "List what the customer still has to supply, and tell them (INT-11).",
)


@blp.route("/<int:request_id>/new-need")
class NewNeed(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.NewNeedIn)
    @blp.response(201, schemas.RequestOut)
    @transactional
    def post(self, data, request_id):
        """Open a new request linked to this closed one; the closed one is unchanged (INT-17)."""
        return service.raise_new_need(
            session=db.session,
            actor=current_actor(),
            request_id=request_id,
            timezone=app_config().default_timezone,
            config=app_config(),
            **data,
        )
