"""Back-office visit endpoints: read a visit with its voucher and follow-up."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    STAFF_ROLES,
    roles_required,
)
from dispatch.db import db
from dispatch.visits import schemas, service

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Appointments and visits")


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.VisitDetailOut)
    def get(self, visit_id):
        """Read a visit with its voucher and follow-up."""
        return service.get_visit(db.session, visit_id)
