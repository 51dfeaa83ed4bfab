"""Complaints a technician takes on site: resolve on the spot or forward within 30 min (CMP-5);
the technician keeps read access (CMP-2) and sees the customer's special notes (CMP-20)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.api.fields import UTCDateTime
from dispatch.complaints import casework, schemas, service, workflow
from dispatch.complaints import rules as complaint_rules
from dispatch.db import db
from dispatch.idempotency import idempotent
from mobile_api.v1 import blp


class TechnicianClockOut(Schema):
    name = fields.String()
    due_at = UTCDateTime()
    met_at = UTCDateTime(allow_none=True)
    breached_at = UTCDateTime(allow_none=True)


class TechnicianComplaintOut(Schema):
    """What the technician who took a complaint sees of it (CMP-2): no investigation."""

    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    category = fields.String()
    nature = fields.String()
    channel = fields.String()
    visit_id = fields.Integer(allow_none=True)
    first_owner_id = fields.Integer()
    owner_id = fields.Integer()
    received_at = UTCDateTime()
    plan_steps = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)
    clocks = fields.List(fields.Nested(TechnicianClockOut))


class TechnicianNoteOut(Schema):
    note = fields.String()
    created_at = UTCDateTime()


class OnSiteComplaintIn(Schema):
    category = fields.String(required=True, validate=validate.OneOf(complaint_rules.CATEGORIES))
    nature = fields.String(required=True, validate=validate.OneOf(complaint_rules.NATURES))
    description = fields.String(required=True, validate=validate.Length(min=2, max=4000))


@blp.route("/visits/<int:visit_id>/complaints")
class VisitComplaints(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(OnSiteComplaintIn)
    @blp.response(201, TechnicianComplaintOut)
    def post(self, data, visit_id):
        """Take a complaint on site; it starts the 30-min forwarding clock (CMP-5)."""
        actor = current_actor()
        visit = casework.own_visit(db.session, actor, visit_id)
        return service.open_complaint(
            session=db.session,
            actor=actor,
            config=app_config(),
            customer_id=visit.request.customer_id,
            owner_id=actor.id,
            visit_id=visit.id,
            channel="technician_app",
            received_outside_cs=True,
            **data,
        )


@blp.route("/visits/<int:visit_id>/special-notes")
class VisitNotes(MethodView):
    @technician_required
    @blp.response(200, TechnicianNoteOut(many=True))
    def get(self, visit_id):
        """The special notes on this visit's customer (CMP-20)."""
        return casework.notes_for_visit(db.session, current_actor(), visit_id)


@blp.route("/complaints/<int:complaint_id>")
class MyComplaint(MethodView):
    @technician_required
    @blp.response(200, TechnicianComplaintOut)
    def get(self, complaint_id):
        """Read a complaint I took (CMP-2)."""
        return service.get_complaint_for(db.session, current_actor(), complaint_id)


@blp.route("/complaints/<int:complaint_id>/on-spot")
class OnSpot(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(schemas.OnSpotIn)
    @blp.response(200, TechnicianComplaintOut)
    def post(self, data, complaint_id):
        """Mark the complaint resolved on the spot (CMP-5)."""
        return workflow.resolve_on_spot(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            complaint_id=complaint_id,
            **data,
        )


@blp.route("/complaints/<int:complaint_id>/forward")
class Forward(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(schemas.HandOverIn)
    @blp.response(200, TechnicianComplaintOut)
    def post(self, data, complaint_id):
        """Forward the complaint to customer service (CMP-5)."""
        return workflow.forward(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            complaint_id=complaint_id,
            **data,
        )
