"""Back-office visit endpoints: book a window, read a visit."""

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
from dispatch.visits import schemas, service

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Appointments and visits")


@blp.route("/requests/<int:request_id>/visits")
class BookVisit(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.BookIn)
    @blp.response(201, schemas.VisitOut)
    @transactional
    def post(self, data, request_id):
        """Book an arrival window with a technician; the customer gets a confirmation link."""
        return service.book(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            request_id=request_id,
            **data,
        )


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.VisitDetailOut)
    def get(self, visit_id):
        """Read a visit with its voucher and follow-up."""
        return service.get_visit(db.session, visit_id)
