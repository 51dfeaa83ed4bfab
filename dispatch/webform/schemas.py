"""Schemas of the public web form and its intake queue (INT-15)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.customers.models import LANGUAGES
from dispatch.intake import rules as intake_rules
from dispatch.privacy.service import LogsCustomerReads
from dispatch.webform import rules
from dispatch.webform.queue import QUEUE_SORTS


class CodeIn(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=5, max=32))
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))


class CodeSentOut(Schema):
    expires_at = UTCDateTime(metadata={"description": "The code works until then"})


class WebRequestIn(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=5, max=32))
    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^\d{6}$", error="6 digits"),
        metadata={"description": "The 6-digit code texted to the phone"},
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = fields.String(required=True, validate=validate.Length(min=5, max=300))
    category = fields.String(required=True, validate=validate.OneOf(rules.WEB_CATEGORIES))
    product_model = fields.String(load_default=None, validate=validate.Length(max=120))
    fault_description = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    preferred_time = fields.String(load_default=None, validate=validate.Length(max=200))
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))
    privacy_consent = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="the privacy notice must be accepted (PRV-1)"),
        metadata={"description": "The customer accepts the privacy notice of `notice_version`"},
    )
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=16))


class WebRequestReceiptOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": [str(s) for s in rules.SubmissionStatus]})
    submitted_at = UTCDateTime()


class WebRequestOut(LogsCustomerReads, WebRequestReceiptOut):
    """A web-form request as intake staff see it (personal fields until registered); every
    dump writes the personal-data access log (PRV-5), with no customer until registered."""

    personal_fields = ("web_request.name", "web_request.phone", "web_request.address")
    access_purpose = "intake"
    access_record = "web_request"
    logs_without_customer = True

    @staticmethod
    def customer_id_of(obj) -> int | None:
        return None

    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    region_id = fields.Integer(allow_none=True)
    category = fields.String()
    product_model = fields.String(allow_none=True)
    fault_description = fields.String()
    preferred_time = fields.String(allow_none=True)
    language = fields.String()
    consent_notice_version = fields.String()
    consent_at = UTCDateTime()
    request_id = fields.Integer(allow_none=True)


WebRequestListArgs = list_args(
    "WebRequestListArgs",
    QUEUE_SORTS,
    "submitted_at",
    status=fields.String(
        load_default=rules.SubmissionStatus.WAITING,
        validate=validate.OneOf([str(s) for s in rules.SubmissionStatus]),
    ),
)
WebRequestPage = page_schema(WebRequestOut, "WebRequestPage")


class RegisterWebRequestIn(Schema):
    request_type = fields.String(
        load_default="repair", validate=validate.OneOf(intake_rules.JOB_REQUEST_TYPES)
    )
    service_class = fields.String(
        required=True, validate=validate.OneOf(intake_rules.SERVICE_CLASSES)
    )
    priority = fields.String(
        load_default="medium", validate=validate.OneOf(intake_rules.PRIORITIES)
    )
