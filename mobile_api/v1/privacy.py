"""The technician's separate consent to location tracking, and positions (PIPL art. 28)."""

from flask.views import MethodView

from dispatch.api.base import current_actor, technician_required
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.privacy import location
from dispatch.privacy.schemas import (
    LocationConsentIn,
    LocationConsentOut,
    PositionIn,
    PositionOut,
)
from mobile_api.v1 import blp


@blp.route("/location-consent")
class LocationConsent(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(LocationConsentIn)
    @blp.response(200, LocationConsentOut)
    def put(self, data):
        """Give or withdraw consent to position tracking during visits; withdrawing deletes the
        positions kept so far."""
        return location.set_consent(db.session, current_actor(), data["given"])


@blp.route("/positions")
class Positions(MethodView):
    @technician_required
    @responds(404)  # a visit that is not the technician's
    @idempotent
    @blp.arguments(PositionIn)
    @blp.response(200, PositionOut)
    def post(self, data):
        """Report a position: kept only with consent and while en route or on site; otherwise
        dropped (`recorded: false` with the reason)."""
        return location.record_position(db.session, current_actor(), **data)
