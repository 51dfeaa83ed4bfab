"""Back-office attachment endpoints: upload, list and download on requests, visits, complaints."""

from flask import send_file
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
from dispatch.attachments import service
from dispatch.attachments.rules import OwnerKind
from dispatch.attachments.schemas import UPLOAD_BODY, AttachmentOut, AttachmentPageArgs
from dispatch.attachments.upload import attachment_limit, read_upload
from dispatch.complaints.rules import GOVERNANCE_ROLES
from dispatch.db import db

blp = Blueprint(
    "attachments",
    __name__,
    url_prefix="/api/v1",
    description="Photos, videos and documents on requests, visits and complaints (INT-16)",
)
READ_ROLES = tuple(dict.fromkeys((*STAFF_ROLES, *GOVERNANCE_ROLES)))
# Intake and dispatch attach to requests and jobs, complaint staff to their cases; the quality
# monitor only reads (ROL-1).
UPLOAD_ROLES = tuple(dict.fromkeys((*INTAKE_ROLES, *WRITE_ROLES, *GOVERNANCE_ROLES)))
PATHS = {
    OwnerKind.REQUEST: "requests",
    OwnerKind.VISIT: "visits",
    OwnerKind.COMPLAINT: "complaints",
}


def _owner_routes(kind: OwnerKind) -> None:
    """Register GET/POST /<owners>/<id>/attachments for one owner kind."""

    @roles_required(*READ_ROLES)
    @blp.arguments(AttachmentPageArgs, location="query")
    @blp.response(200, AttachmentOut(many=True))
    def get(self, args, owner_id):
        return service.list_for(db.session, current_actor(), kind, owner_id, **args)

    @roles_required(*UPLOAD_ROLES)
    @attachment_limit
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, AttachmentOut)
    @transactional
    def post(self, owner_id):
        return service.upload(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            owner_kind=kind,
            owner_id=owner_id,
            **read_upload(),
        )

    get.__doc__ = f"List the attachments of a {kind}, oldest first (keyset: `after`, `limit`)."
    post.__doc__ = (
        f"Upload a photo, video or document to a {kind} (multipart field `file`, optional "
        "`note`); 413 above the size limit, 415 for a type outside the allow-list."
    )
    name = f"{kind.title()}Attachments"
    blp.route(f"/{PATHS[kind]}/<int:owner_id>/attachments")(
        type(name, (MethodView,), {"get": get, "post": post})
    )


for _kind in OwnerKind:
    _owner_routes(_kind)


@blp.route("/attachments/<int:attachment_id>")
class OneAttachment(MethodView):
    @roles_required(*READ_ROLES)
    @blp.response(200, AttachmentOut)
    def get(self, attachment_id):
        """Show an attachment's record: owner, name, type, size, uploader and time."""
        return service.get_attachment_for(db.session, current_actor(), attachment_id)


@blp.route("/attachments/<int:attachment_id>/content")
class AttachmentContent(MethodView):
    @roles_required(*READ_ROLES)
    @blp.response(200, content_type="application/octet-stream")
    def get(self, attachment_id):
        """Download the bytes of an attachment."""
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
