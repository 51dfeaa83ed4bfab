"""Return-visit plans (an admin's configuration) and the return-visit tasks (FUP-9)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    FOLLOWUP_ROLES,
    STAFF_ROLES,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.returnvisits import schemas, service
from dispatch.users.rules import RETURN_PLAN_KEEPERS

KEEPERS = tuple(map(str, RETURN_PLAN_KEEPERS))

blp = Blueprint(
    "return_visits",
    __name__,
    url_prefix="/api/v1",
    description="Periodic return visits (定期回访) per service class or product",
)


@blp.route("/return-visit-plans")
class Plans(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.ReturnPlanOut(many=True))
    def get(self):
        """List the return-visit plans (none: periodic return visits are off)."""
        return service.list_plans(db.session)

    @roles_required(*KEEPERS)
    @blp.arguments(schemas.ReturnPlanIn)
    @blp.response(201, schemas.ReturnPlanOut)
    @transactional
    def post(self, data):
        """Switch periodic return visits on for a service class or a product model."""
        return service.create_plan(db.session, actor=current_actor(), **data)


@blp.route("/return-visit-plans/<int:return_plan_id>")
class PlanById(MethodView):
    @roles_required(*KEEPERS)
    @blp.arguments(schemas.ReturnPlanChangeIn)
    @blp.response(200, schemas.ReturnPlanOut)
    @transactional
    def patch(self, data, return_plan_id):
        """Change a plan's interval or switch it off."""
        return service.change_plan(
            db.session, actor=current_actor(), return_plan_id=return_plan_id, **data
        )


@blp.route("/return-visits")
class ReturnVisits(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.ReturnVisitListArgs, location="query")
    @blp.response(200, schemas.ReturnVisitPage)
    def get(self, args):
        """List the return visits of my regions, the most urgent first (keyset pages)."""
        return service.list_return_visits(db.session, current_actor(), **args)


@blp.route("/return-visits/<int:return_visit_id>")
class ReturnVisitById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.ReturnVisitOut)
    def get(self, return_visit_id):
        """Read one return visit."""
        return service.get_return_visit(db.session, return_visit_id, actor=current_actor())


@blp.route("/return-visits/<int:return_visit_id>/outcome")
class Outcome(MethodView):
    @roles_required(*FOLLOWUP_ROLES)
    @blp.arguments(schemas.OutcomeIn)
    @blp.response(200, schemas.ReturnVisitOut)
    @transactional
    def post(self, data, return_visit_id):
        """Record the outcome of a return-visit call (a done one answers 409)."""
        return service.record_outcome(
            db.session, actor=current_actor(), return_visit_id=return_visit_id, **data
        )
