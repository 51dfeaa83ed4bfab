"""Planner endpoints: plan a region-day, watch it, accept or discard; insert one visit."""

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
from dispatch.clock import utcnow
from dispatch.db import db
from dispatch.routing import insertion, schemas, service
from dispatch.visits.schemas import VisitOut

blp = Blueprint("routing", __name__, url_prefix="/api/v1", description="Route planning")


@blp.route("/plans")
class Plans(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.PlanIn)
    @blp.response(202, schemas.PlanOut)
    @transactional
    def post(self, data):
        """Plan a region's day on the worker; poll the plan for progress and result."""
        from_now = data.pop("from_now")
        return service.request_plan(
            session=db.session,
            actor=current_actor(),
            time_limit_s=data.pop("time_limit_s") or app_config().plan_time_limit_seconds,
            from_time=utcnow() if from_now else None,
            **data,
        )


@blp.route("/plans/<int:plan_id>")
class PlanById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.PlanOut)
    def get(self, plan_id):
        """Read a plan: status, progress %, best cost so far and, when ready, the routes."""
        return service.get_plan(db.session, plan_id, actor=current_actor())


@blp.route("/plans/<int:plan_id>/accept")
class AcceptPlan(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.PlanOut)
    @transactional
    def post(self, plan_id):
        """Accept a ready plan: assignments and ordered stops with ETAs are written."""
        return service.accept_plan(session=db.session, actor=current_actor(), plan_id=plan_id)


@blp.route("/plans/<int:plan_id>/discard")
class DiscardPlan(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.PlanOut)
    @transactional
    def post(self, plan_id):
        """Discard a ready plan; no visit changes."""
        return service.discard_plan(session=db.session, actor=current_actor(), plan_id=plan_id)


@blp.route("/visits/<int:visit_id>/insertion")
class InsertVisit(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.InsertionIn)
    @blp.response(200, schemas.InsertionOut)
    @transactional
    def post(self, data, visit_id):
        """Find the cheapest place for a visit in today's routes; apply it if asked."""
        return insertion.propose(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )


@blp.route("/visits/<int:visit_id>/pin")
class PinVisit(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.PinIn)
    @blp.response(200, VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Assign and/or pin a visit's technician and start; the planner keeps pins."""
        return service.pin(session=db.session, actor=current_actor(), visit_id=visit_id, **data)
