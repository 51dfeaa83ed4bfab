"""Back-office visit endpoints: read a visit with its voucher and follow-up."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    list_operation,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.visits import schemas, service

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Appointments and visits")


@blp.route("/visits")
class Visits(MethodView):
    @list_operation(blp, schemas.VisitListArgs, schemas.VisitPage)
    def get(self, args):
        """List visits of the regions I may see: by day (region time), region, technician,
        status; in window order (keyset pages)."""
        return service.list_visits(db.session, current_actor(), app_config(), **args)


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.VisitDetailOut)
    def get(self, visit_id):
        """Read a visit with its voucher and follow-up."""
        return service.get_visit(db.session, visit_id, actor=current_actor())


@blp.route("/visits/<int:visit_id>/release")
class Release(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.ReleaseIn)
    @blp.response(200, schemas.VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Let the technician set off although unconfirmed or due another day (audited)."""
        return service.release(session=db.session, actor=current_actor(), visit_id=visit_id, **data)


@blp.route("/visits/<int:visit_id>/hazard")
class Hazard(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.HazardIn)
    @blp.response(200, schemas.VisitOut)
    @transactional
    def post(self, data, visit_id):
        """Flag a job as hazardous (VCH-18): work waits for the pre-work checklist."""
        return service.mark_hazardous(
            session=db.session, actor=current_actor(), visit_id=visit_id, **data
        )
