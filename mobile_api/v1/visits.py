"""Today's route and the status changes of a visit."""

from flask.views import MethodView

from dispatch.api.base import app_config, current_actor, technician_required, transactional
from dispatch.db import db
from dispatch.visits import fieldwork
from dispatch.visits import service as visits
from mobile_api.v1 import blp
from mobile_api.v1.schemas import ArriveIn, CompleteIn, DeviceTimeIn, TechnicianVisitOut


@blp.route("/visits/today")
class Today(MethodView):
    @technician_required
    @blp.response(200, TechnicianVisitOut(many=True))
    def get(self):
        """List my visits of today, in order."""
        return visits.todays_visits(session=db.session, actor=current_actor(), config=app_config())


@blp.route("/visits/<int:visit_id>/depart")
class Depart(MethodView):
    @technician_required
    @blp.arguments(DeviceTimeIn)
    @blp.response(200, TechnicianVisitOut)
    @transactional
    def post(self, data, visit_id):
        """Set off to the customer (en route)."""
        return fieldwork.depart(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )


@blp.route("/visits/<int:visit_id>/arrive")
class Arrive(MethodView):
    @technician_required
    @blp.arguments(ArriveIn)
    @blp.response(200, TechnicianVisitOut)
    @transactional
    def post(self, data, visit_id):
        """Check in at the customer's site."""
        return fieldwork.arrive(
            session=db.session, actor=current_actor(), visit_id=visit_id, **data
        )


@blp.route("/visits/<int:visit_id>/complete")
class Complete(MethodView):
    @technician_required
    @blp.arguments(CompleteIn)
    @blp.response(200, TechnicianVisitOut)
    @transactional
    def post(self, data, visit_id):
        """Finish the visit with the customer's signature on the service voucher."""
        return fieldwork.complete(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )
