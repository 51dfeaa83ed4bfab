"""Customer links as staff see them, and the answer to a resend (issue 12)."""

from marshmallow import Schema, fields

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.links.staff import LINK_SORTS


class LinkOut(Schema):
    id = fields.Integer()
    purpose = fields.String()
    visit_id = fields.Integer()
    created_at = UTCDateTime()
    expires_at = UTCDateTime()
    revoked_at = UTCDateTime(allow_none=True)
    last_used_at = UTCDateTime(allow_none=True)
    live = fields.Boolean(metadata={"description": "Not withdrawn and not expired"})
    url = fields.String(
        allow_none=True, metadata={"description": "The page the SMS opens; null once it is dead"}
    )


class ResentOut(Schema):
    link_id = fields.Integer()
    sms_id = fields.Integer()
    status = fields.String(metadata={"description": "The new SMS's status (pending until sent)"})


LinkListArgs = list_args("LinkListArgs", LINK_SORTS, "-id")
LinkPage = page_schema(LinkOut, "LinkPage")
