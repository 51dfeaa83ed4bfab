"""Region endpoints."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api import openapi
from dispatch.api.base import (
    SETUP_ROLES,
    STAFF_ROLES,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.regions import schemas, service

blp = Blueprint(
    "regions",
    __name__,
    url_prefix="/api/v1/regions",
    description="Service regions: area, time zone, neighbours",
)


@blp.route("")
class Regions(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.RegionOut(many=True))
    def get(self):
        """List regions."""
        return service.list_regions(db.session)

    @roles_required(*SETUP_ROLES)
    @blp.arguments(schemas.RegionIn)
    @blp.response(201, schemas.RegionOut)
    @transactional
    def post(self, data):
        """Create a region; sites inside its polygon belong to it."""
        return service.create_region(session=db.session, actor=current_actor(), **data)


@blp.route("/<int:region_id>/emergency-sla")
class EmergencySla(MethodView):
    @roles_required(*SETUP_ROLES)
    @blp.arguments(schemas.EmergencySlaIn)
    @blp.response(200, schemas.RegionOut)
    @transactional
    def post(self, data, region_id):
        """Switch the 20-minute emergency arrival SLA on or off (DSP-11; off by default)."""
        return service.set_emergency_sla(
            session=db.session, actor=current_actor(), region_id=region_id, **data
        )


@blp.route("/<int:region_id>/contact-window")
class ContactWindow(MethodView):
    @roles_required("admin")
    @blp.arguments(schemas.ContactWindowIn)
    @blp.response(200, schemas.RegionOut)
    @openapi.responds(404)
    @transactional
    def post(self, data, region_id):
        """Set the region's contact window for non-urgent SMS; nulls use the config (APT-13)."""
        return service.set_contact_window(
            session=db.session, actor=current_actor(), region_id=region_id, **data
        )


@blp.route("/<int:region_id>/calendar")
class Calendar(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.CalendarQuery, location="query")
    @blp.response(200, schemas.CalendarDayOut(many=True))
    def get(self, query, region_id):
        """The region's working days: weekends, public holidays, make-up days (DSP-1)."""
        return service.calendar_days(session=db.session, region_id=region_id, **query)
