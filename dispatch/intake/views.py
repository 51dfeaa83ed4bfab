"""The single intake API (一口对外)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    INTAKE_ROLES,
    STAFF_ROLES,
    WRITE_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.intake import schemas, service

blp = Blueprint(
    "requests",
    __name__,
    url_prefix="/api/v1/requests",
    description="Service requests from every channel",
)


@blp.route("")
class Requests(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.RequestListArgs, location="query")
    @blp.response(200, schemas.RequestPage)
    def get(self, args):
        """List and search requests of the regions I may see, newest first (keyset pages)."""
        return service.list_requests(db.session, current_actor(), **args)

    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.RequestIn)
    @blp.response(201, schemas.RequestOut)
    @transactional
    def post(self, data):
        """Register a request; the server stamps the time and the registrar."""
        return service.register_request(
            session=db.session,
            actor=current_actor(),
            timezone=app_config().default_timezone,
            config=app_config(),
            **data,
        )


@blp.route("/<int:request_id>")
class RequestById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.RequestOut)
    def get(self, request_id):
        """Read one request."""
        return service.get_request(db.session, request_id, actor=current_actor())


@blp.route("/<int:request_id>/close")
class CloseRequest(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, schemas.RequestOut)
    @transactional
    def post(self, request_id):
        """Close a completed job: voucher archived, fix confirmed by the customer (VCH-11)."""
        return service.close_request(
            session=db.session, actor=current_actor(), request_id=request_id
        )
