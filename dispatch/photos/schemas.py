"""Photo schemas shared by the back office and the technician app."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.photos.rules import ALLOWED_TYPES, KINDS


class PhotoStartIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    caption = fields.String(load_default=None, validate=validate.Length(max=500))
    content_type = fields.String(required=True, validate=validate.OneOf(ALLOWED_TYPES))
    total_size = fields.Integer(required=True, validate=validate.Range(min=1))
    sha256 = fields.String(
        required=True, validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="64 hex digits")
    )


class PhotoOut(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    kind = fields.String()
    caption = fields.String(allow_none=True)
    content_type = fields.String()
    total_size = fields.Integer()
    sha256 = fields.String()
    status = fields.String(metadata={"description": "uploading | complete"})
    received_bytes = fields.Integer()
    next_offset = fields.Integer(metadata={"description": "where the next chunk starts"})
    uploaded_by_id = fields.Integer(metadata={"description": "the user who uploaded it (INT-16)"})
    created_at = UTCDateTime()
    completed_at = UTCDateTime(allow_none=True)
