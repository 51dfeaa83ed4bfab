"""The texts sent to customers as staff see them: to whom (masked), why, status and times."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.customers.rules import mask_phone
from dispatch.notifications.models import SmsStatus
from dispatch.notifications.service import MESSAGE_SORTS
from dispatch.notifications.templates import TEMPLATES

ID = validate.Range(1, 2**31 - 1)


class MessageOut(Schema):
    """One SMS; its text is not shown (it may carry a customer's link)."""

    id = fields.Integer()
    to = fields.Function(lambda m: mask_phone(m.to_phone), metadata={"description": "masked"})
    purpose = fields.String(attribute="template", metadata={"description": "The template"})
    language = fields.String()
    status = fields.String()
    visit_id = fields.Integer(allow_none=True)
    attempts = fields.Integer()
    created_at = UTCDateTime()
    attempted_at = UTCDateTime(allow_none=True)
    sent_at = UTCDateTime(allow_none=True)


MessageListArgs = list_args(
    "MessageListArgs",
    MESSAGE_SORTS,
    "-id",
    status=fields.String(load_default=None, validate=validate.OneOf(list(SmsStatus))),
    purpose=fields.String(load_default=None, validate=validate.OneOf(sorted(TEMPLATES))),
    visit_id=fields.Integer(load_default=None, validate=ID),
    request_id=fields.Integer(load_default=None, validate=ID),
    region_id=fields.Integer(load_default=None, validate=ID),
)
MessagePage = page_schema(MessageOut, "MessagePage")
