"""Photos, videos and documents on my visits (INT-16): upload with an Idempotency-Key, list
those of my visit and of its request, download them. Other technicians' visits answer 403."""

from flask import send_file
from flask.views import MethodView

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.attachments import service
from dispatch.attachments.rules import OwnerKind
from dispatch.attachments.schemas import UPLOAD_BODY, AttachmentOut, AttachmentPageArgs
from dispatch.attachments.upload import attachment_limit, read_upload
from dispatch.db import db
from dispatch.idempotency import idempotent
from mobile_api.v1 import blp


@blp.route("/visits/<int:visit_id>/attachments")
class VisitAttachments(MethodView):
    @technician_required
    @blp.arguments(AttachmentPageArgs, location="query")
    @blp.response(200, AttachmentOut(many=True))
    def get(self, args, visit_id):
        """List the attachments of my visit and of its request, oldest first (keyset)."""
        return service.list_for_my_visit(db.session, current_actor(), visit_id, **args)

    @technician_required
    @attachment_limit
    @idempotent
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, AttachmentOut)
    def post(self, visit_id):
        """Upload a photo, video or document to my visit (multipart field `file`)."""
        return service.upload(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            owner_kind=OwnerKind.VISIT,
            owner_id=visit_id,
            **read_upload(),
        )


@blp.route("/attachments/<int:attachment_id>/content")
class AttachmentContent(MethodView):
    @technician_required
    @blp.response(200, content_type="application/octet-stream")
    def get(self, attachment_id):
        """Download an attachment of my visit or of its request."""
        attachment, content = service.open_content(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            attachment_id=attachment_id,
        )
        return send_file(
            content,
            mimetype=attachment.content_type,
            as_attachment=True,
            download_name=attachment.filename,
            etag=attachment.sha256,
        )
