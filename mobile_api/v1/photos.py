"""Photos of my visits, uploaded in chunks that survive a dropped connection.

Start an upload with its size and SHA-256, then PUT chunks with `Content-Range`. A chunk that
arrived before is acknowledged without storing it twice; one that would leave a gap is a 409
naming the expected offset; GET on the photo tells where to resume.
"""

import functools

from flask import request
from flask.views import MethodView

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.api.errors import error_response
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.photos import service as photos
from dispatch.photos.schemas import PhotoOut, PhotoStartIn
from mobile_api.v1 import blp

_RANGE = {
    "in": "header",
    "name": "Content-Range",
    "required": True,
    "schema": {"type": "string", "example": "bytes 0-65535/1048576"},
    "description": "Where the chunk goes; a gap is 409 with details.expected_offset",
}
_CHUNK = {
    "required": True,
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}


def chunk_limit(view):
    """Refuse a body above the chunk limit before it is read (413)."""

    @responds(413)
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = app_config().photo_chunk_max_bytes
        return view(*args, **kwargs)

    return wrapper


@blp.route("/visits/<int:visit_id>/photos")
class VisitPhotos(MethodView):
    @technician_required
    @blp.response(200, PhotoOut(many=True))
    def get(self, visit_id):
        """List the photos of my visit with their upload status."""
        return photos.my_visit_photos(session=db.session, actor=current_actor(), visit_id=visit_id)

    @technician_required
    @idempotent
    @blp.arguments(PhotoStartIn)
    @blp.response(201, PhotoOut)
    def post(self, data, visit_id):
        """Start uploading a photo (before, after or other) of my visit."""
        return photos.start_upload(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )


@blp.route("/photos/<int:photo_id>")
class OnePhoto(MethodView):
    @technician_required
    @blp.response(200, PhotoOut)
    def get(self, photo_id):
        """Show a photo's upload status and where to resume (next_offset)."""
        return photos.get_for_uploader(db.session, current_actor(), photo_id)


@blp.route("/photos/<int:photo_id>/content")
class PhotoContent(MethodView):
    @technician_required
    @chunk_limit
    @idempotent
    @blp.doc(parameters=[_RANGE], requestBody=_CHUNK)
    @blp.response(200, PhotoOut)
    def put(self, photo_id):
        """Append a chunk; the last one completes the photo when its SHA-256 matches (else 422)."""
        result = photos.append_chunk(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            photo_id=photo_id,
            content_range=request.headers.get("Content-Range"),
            data=request.get_data(),
        )
        if result.problem:  # the reset must be committed, so this is an answer, not a raise
            return error_response(
                422, result.problem, "photo_hash_mismatch", {"expected_offset": 0}
            )
        return result.photo
