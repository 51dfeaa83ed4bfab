"""Day board endpoints: the regions a user may open, and one region's day (with ETag)."""

import json

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from dispatch.api import openapi
from dispatch.api.base import STAFF_ROLES, app_config, current_actor, roles_required
from dispatch.dayboard import desk as desk_reads
from dispatch.dayboard import rules, schemas, service
from dispatch.db import db
from dispatch.regions.schemas import RegionOut

blp = Blueprint(
    "dayboard", __name__, url_prefix="/api/v1/dayboard", description="The dispatcher's day board"
)


@blp.route("/regions")
class BoardRegions(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, RegionOut(many=True))
    def get(self):
        """List the regions whose day board you may open (the console's region picker)."""
        return service.regions(db.session, current_actor())


@blp.route("")
class Board(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.BoardQuery, location="query", unknown=RAISE)
    @blp.response(200, schemas.BoardOut, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="Not modified since the ETag sent in If-None-Match")
    @openapi.responds(404)  # a region the user does not serve is not found
    def get(self, args):
        """Read a region's day: timelines, visits and the tray; poll with If-None-Match."""
        board = service.board(db.session, actor=current_actor(), config=app_config(), **args)
        # Written once as JSON (shaped for BoardOut by the service): its hash is the ETag.
        body = json.dumps(board, ensure_ascii=False, separators=(",", ":")).encode()
        etag = rules.etag_of(body)
        if request.if_none_match.contains(etag):
            return Response(status=304, headers={"ETag": f'"{etag}"'})
        return Response(body, mimetype="application/json", headers={"ETag": f'"{etag}"'})


desk = Blueprint(
    "desk", __name__, url_prefix="/api/v1/desk", description="The dispatcher's desk: calls, queue"
)


@desk.route("/caller")
class Caller(MethodView):
    @roles_required(*STAFF_ROLES)
    @desk.arguments(schemas.CallerQuery, location="query", unknown=RAISE)
    @desk.response(200, schemas.CallerOut(many=True))
    def get(self, args):
        """Find a caller by phone with earlier requests, jobs, complaints, notes and SMS (INT-5)."""
        return desk_reads.caller(
            db.session, actor=current_actor(), config=app_config(), phone=args["phone"]
        )


@desk.route("/complaints")
class ComplaintQueue(MethodView):
    @roles_required(*STAFF_ROLES)
    @desk.response(200, schemas.ComplaintQueueItemOut(many=True))
    def get(self):
        """The open complaints of your regions, soonest clock first, with who owns each."""
        return desk_reads.complaint_queue(db.session, actor=current_actor())
