"""Back-office photo endpoints: a visit's photos and their download."""

from flask import send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import STAFF_ROLES, app_config, current_actor, roles_required
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.photos import service
from dispatch.photos.schemas import PhotoOut

blp = Blueprint("photos", __name__, url_prefix="/api/v1", description="Visit photos")


@blp.route("/visits/<int:visit_id>/photos")
class VisitPhotos(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, PhotoOut(many=True))
    def get(self, visit_id):
        """List the photos of a visit with their upload status."""
        return service.photos_of_visit(db.session, visit_id, actor=current_actor())


@blp.route("/photos/<int:photo_id>/content")
class PhotoContent(MethodView):
    @roles_required(*STAFF_ROLES)
    @responds(409)  # still uploading
    @blp.response(200, content_type="image/*")
    def get(self, photo_id):
        """Download the bytes of a finished photo."""
        photo, content = service.open_content(
            session=db.session, actor=current_actor(), config=app_config(), photo_id=photo_id
        )
        return send_file(content, mimetype=photo.content_type, etag=photo.sha256)
