"""Attachment schemas shared by the back office and the technician app (INT-16)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "note": {"type": "string", "maxLength": 500},
                },
                "required": ["file"],
                "additionalProperties": False,
            }
        }
    },
}


class AttachmentOut(Schema):
    id = fields.Integer()
    owner_kind = fields.String(metadata={"description": "request | visit | complaint"})
    owner_id = fields.Integer()
    media = fields.String(metadata={"description": "photo | video | document"})
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    note = fields.String(allow_none=True)
    uploaded_by_id = fields.Integer(metadata={"description": "who uploaded it (INT-16)"})
    uploaded_at = UTCDateTime()


class AttachmentPageArgs(Schema):
    after = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0),
        metadata={"description": "the last id of the previous page"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))
