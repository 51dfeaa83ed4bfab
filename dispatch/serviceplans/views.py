"""The service plan of a request (INT-12): staff draft and propose; an agent may record the
customer's answer; the customer answers on the plan link (dispatch.web.plan_page)."""

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
from dispatch.db import db
from dispatch.serviceplans import schemas, service

blp = Blueprint(
    "service_plans",
    __name__,
    url_prefix="/api/v1/requests",
    description="Service plans the customer agrees to before dispatch (INT-12)",
)


@blp.route("/<int:request_id>/plan")
class Plan(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.ServicePlanOut)
    def get(self, request_id):
        """Read the request's service plan."""
        return service.get_plan(db.session, request_id, actor=current_actor())

    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ServicePlanDraftIn)
    @blp.response(200, schemas.ServicePlanOut)
    @transactional
    def post(self, data, request_id):
        """Draft the plan (remedy, estimated cost and time); the first draft creates it."""
        return service.draft(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )


@blp.route("/<int:request_id>/plan/propose")
class ProposePlan(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.ServicePlanOut)
    @transactional
    def post(self, request_id):
        """Propose the drafted plan; the customer gets an SMS link to agree (同意方案) or reject."""
        return service.propose(
            session=db.session, actor=current_actor(), config=app_config(), request_id=request_id
        )


@blp.route("/<int:request_id>/plan/agree")
class AgreePlan(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.ServicePlanOut)
    @transactional
    def post(self, request_id):
        """Record that the customer agreed to the proposed plan, as an agent on their behalf."""
        return service.agree_for_customer(
            session=db.session, actor=current_actor(), request_id=request_id
        )


@blp.route("/<int:request_id>/plan/reject")
class RejectPlan(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ServicePlanRejectIn)
    @blp.response(200, schemas.ServicePlanOut)
    @transactional
    def post(self, data, request_id):
        """Record the customer's rejection on their behalf; the plan goes back to drafting."""
        return service.reject_for_customer(
            session=db.session, actor=current_actor(), request_id=request_id, **data
        )
