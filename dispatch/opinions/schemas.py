"""Opinion schemas: the customer's submission, the inbox and the staff's actions."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.opinions.rules import Department, OpinionCategory, OpinionSource, OpinionStatus
from dispatch.opinions.service import OPINION_SORTS

_ID = validate.Range(1, 2**31 - 1)


class OpinionIn(Schema):
    """What a customer sends from a link (FUP-11)."""

    category = fields.String(
        load_default=OpinionCategory.OTHER, validate=validate.OneOf(list(OpinionCategory))
    )
    text = fields.String(required=True, validate=validate.Length(min=2, max=2000))


class ReplyIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=2, max=500))


class OpinionCloseIn(Schema):
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class ReplyOut(Schema):
    id = fields.Integer()
    author_id = fields.Integer()
    text = fields.String()
    sms_id = fields.Integer(allow_none=True)
    created_at = UTCDateTime()


class OpinionOut(Schema):
    id = fields.Integer()
    source = fields.String()
    followup_id = fields.Integer(allow_none=True)
    visit_id = fields.Integer()
    customer_id = fields.Integer()
    category = fields.String()
    department = fields.String()
    text = fields.String()
    status = fields.String()
    owner_id = fields.Integer(allow_none=True)
    created_at = UTCDateTime()
    acknowledged_at = UTCDateTime(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)
    close_note = fields.String(allow_none=True)
    replies = fields.List(fields.Nested(ReplyOut))


class OpinionReceiptOut(Schema):
    """What the customer's JSON submission answers: no staff data."""

    id = fields.Integer()
    category = fields.String()
    status = fields.String()
    created_at = UTCDateTime()


OpinionListArgs = list_args(
    "OpinionListArgs",
    OPINION_SORTS,
    "-id",
    department=fields.String(
        load_default=None,
        validate=validate.OneOf(list(Department)),
        metadata={"description": "The department's inbox (FUP-8)"},
    ),
    status=fields.String(load_default=None, validate=validate.OneOf(list(OpinionStatus))),
    source=fields.String(load_default=None, validate=validate.OneOf(list(OpinionSource))),
    category=fields.String(load_default=None, validate=validate.OneOf(list(OpinionCategory))),
    customer_id=fields.Integer(load_default=None, validate=_ID),
)
OpinionPage = page_schema(OpinionOut, "OpinionPage")
