"""Technician administration endpoints."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    SETUP_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    list_operation,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.technicians import schemas, service

blp = Blueprint(
    "technicians",
    __name__,
    url_prefix="/api/v1/technicians",
    description="Technicians, shifts and absences",
)


@blp.route("")
class Technicians(MethodView):
    @list_operation(blp, schemas.TechnicianListArgs, schemas.TechnicianPage)
    def get(self, args):
        """List technicians of the regions I may see, with their usernames (keyset pages);
        `region_id` gives those serving a region."""
        return service.list_technicians(db.session, current_actor(), **args)

    @roles_required(*SETUP_ROLES)
    @blp.arguments(schemas.TechnicianIn)
    @blp.response(201, schemas.TechnicianOut)
    @transactional
    def post(self, data):
        """Create a technician with their app login, skills, hours and home base."""
        return service.create_technician(
            session=db.session,
            actor=current_actor(),
            phone_region=app_config().default_phone_region,
            **data,
        )


@blp.route("/<int:technician_id>/absences")
class Absences(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.AbsenceIn)
    @blp.response(201, schemas.PeriodOut)
    @transactional
    def post(self, data, technician_id):
        """Record an absence (sick, leave); re-plan the day to move the visits."""
        return service.add_absence(
            session=db.session, actor=current_actor(), technician_id=technician_id, **data
        )


@blp.route("/<int:technician_id>/shifts")
class Shifts(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(schemas.PeriodIn)
    @blp.response(201, schemas.PeriodOut)
    @transactional
    def post(self, data, technician_id):
        """Set the working period of one day."""
        return service.add_shift(
            session=db.session, actor=current_actor(), technician_id=technician_id, **data
        )
