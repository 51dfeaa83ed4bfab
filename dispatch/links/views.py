"""Customer links per request and visit, and sending one again (issue 12)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    WRITE_ROLES,
    app_config,
    current_actor,
    list_operation,
    roles_required,
)
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.links import schemas, staff

blp = Blueprint("links", __name__, url_prefix="/api/v1", description="Customer links (SMS)")


@blp.route("/requests/<int:request_id>/links")
class RequestLinks(MethodView):
    @list_operation(blp, schemas.LinkListArgs, schemas.LinkPage)
    def get(self, args, request_id):
        """List the customer links of a request's visits, newest first, with live addresses."""
        return staff.links_of(
            db.session, current_actor(), app_config(), request_id=request_id, **args
        )


@blp.route("/visits/<int:visit_id>/links")
class VisitLinks(MethodView):
    @list_operation(blp, schemas.LinkListArgs, schemas.LinkPage)
    def get(self, args, visit_id):
        """List the customer links of a visit, newest first, with live addresses."""
        return staff.links_of(db.session, current_actor(), app_config(), visit_id=visit_id, **args)


@blp.route("/links/<int:link_id>/resend")
class Resend(MethodView):
    @roles_required(*WRITE_ROLES)
    @idempotent
    @blp.response(200, schemas.ResentOut)
    def post(self, link_id):
        """Send a live link to its customer again by SMS (audited; needs an Idempotency-Key)."""
        return staff.resend(
            session=db.session, actor=current_actor(), config=app_config(), link_id=link_id
        )
