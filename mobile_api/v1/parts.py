"""The parts catalogue, searched from the phone while recording the parts used."""

from flask.views import MethodView

from dispatch.api.base import technician_required
from dispatch.db import db
from dispatch.parts import service as parts
from dispatch.parts.schemas import PartOut, PartSearchQuery
from mobile_api.v1 import blp


@blp.route("/parts")
class Parts(MethodView):
    @technician_required
    @blp.arguments(PartSearchQuery, location="query")
    @blp.response(200, PartOut(many=True))
    def get(self, query):
        """Search active catalogue parts by code or name."""
        return parts.search(db.session, **query)
