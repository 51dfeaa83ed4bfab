"""Booking endpoints for dispatchers: free windows, book, reschedule, cancel, overdue contact."""

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
from dispatch.api.openapi import WINDOW_TAKEN
from dispatch.booking import calls, schemas, service
from dispatch.db import db
from dispatch.visits.schemas import VisitOut
from dispatch.visits.service import get_visit

blp = Blueprint("booking", __name__, url_prefix="/api/v1", description="Booking")


@blp.route("/requests/<int:request_id>/slots")
class Slots(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.SlotQuery, location="query")
    @blp.response(200, schemas.SlotOut(many=True))
    def get(self, query, request_id):
        """List arrival windows over the next days that a qualified technician can keep."""
        return service.slots_for_request(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            request_id=request_id,
            **query,
        )


@blp.route("/requests/<int:request_id>/visits")
class BookVisit(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.BookIn)
    @blp.alt_response(409, response=WINDOW_TAKEN)
    @blp.response(201, VisitOut)
    @transactional
    def post(self, data, request_id):
        """Book a window a technician can keep (409 with alternatives if none can)."""
        return service.book(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            request_id=request_id,
            **data,
        )


@blp.route("/visits/<int:visit_id>/reschedule")
class Reschedule(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.WindowIn)
    @blp.alt_response(409, response=WINDOW_TAKEN)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Move a visit to another free window; the customer is asked to confirm again."""
        return service.reschedule(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit=get_visit(db.session, visit_id, actor=current_actor()),
            **data,
        )


@blp.route("/visits/<int:visit_id>/confirm")
class ConfirmForCustomer(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, visit_id):
        """Confirm the appointment on the customer's behalf, as they agreed on the phone (APT-4)."""
        return service.confirm_for_customer(
            session=db.session, actor=current_actor(), config=app_config(), visit_id=visit_id
        )


@blp.route("/visits/<int:visit_id>/cancel")
class Cancel(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.CancelIn)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Cancel a visit that has not started."""
        return service.cancel(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit=get_visit(db.session, visit_id, actor=current_actor()),
            **data,
        )


@blp.route("/visits/<int:visit_id>/no-show")
class NoShow(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.CancelIn)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Record that the customer was not there; the request is to be booked again."""
        return service.no_show(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit=get_visit(db.session, visit_id, actor=current_actor()),
            **data,
        )


@blp.route("/call-tasks")
class CallTasks(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.CallTaskQuery, location="query")
    @blp.response(200, schemas.CallTaskOut(many=True))
    def get(self, query):
        """Open call tasks: link cancellations and unconfirmed proposals (APT-5, APT-7)."""
        return calls.open_tasks(db.session, current_actor(), **query)


@blp.route("/call-tasks/<int:task_id>/resolve")
class ResolveCallTask(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ResolveCallIn)
    @blp.response(200, schemas.CallTaskOut)
    @transactional
    def post(self, data, task_id):
        """Close a call task with what the customer said."""
        return calls.resolve(db.session, current_actor(), task_id, data["outcome"])


@blp.route("/requests/contact-overdue")
class ContactOverdue(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.ContactDueOut(many=True))
    def get(self):
        """Requests with no confirmed date a day after registration (APT-1), oldest first."""
        return service.contact_overdue(db.session, actor=current_actor())
