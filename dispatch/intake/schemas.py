"""Intake schemas: one API for every request type (INT-1, INT-2)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.intake import contact_log, rules
from dispatch.intake.service import REQUEST_SORTS

REQUIRED_FOR_REPAIR = "Required when request_type is `repair`; otherwise optional (INT-2)"


class OwnerIn(Schema):
    owner_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "the new owner (ROL-4)"}
    )
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class RequestIn(Schema):
    customer_id = fields.Integer(required=True)
    site_id = fields.Integer(
        load_default=None, metadata={"description": REQUIRED_FOR_REPAIR + " (the service address)"}
    )
    asset_id = fields.Integer(load_default=None)
    request_type = fields.String(required=True, validate=validate.OneOf(rules.REQUEST_TYPES))
    channel = fields.String(required=True, validate=validate.OneOf(rules.CHANNELS))
    category = fields.String(required=True, validate=validate.OneOf(rules.CATEGORIES))
    service_class = fields.String(required=True, validate=validate.OneOf(rules.SERVICE_CLASSES))
    priority = fields.String(load_default="medium", validate=validate.OneOf(rules.PRIORITIES))
    product_model = fields.String(
        load_default=None,
        validate=validate.Length(max=120),
        metadata={"description": REQUIRED_FOR_REPAIR},
    )
    fault_description = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    expected_outcome = fields.String(load_default=None, validate=validate.Length(max=2000))
    reported_at = UTCDateTime(load_default=None)
    submitted_by_kind = fields.String(
        load_default=None,
        validate=validate.OneOf(rules.SUBMITTER_KINDS),
        metadata={"description": "A department, dealer or technician submitting it (INT-14)"},
    )
    submitted_by_name = fields.String(load_default=None, validate=validate.Length(min=2, max=120))

    @validates_schema
    def submitter_named(self, data, **_):
        """A submitting party has both a kind and a name (INT-14)."""
        if bool(data.get("submitted_by_kind")) != bool(data.get("submitted_by_name")):
            raise ValidationError(
                {"submitted_by_name": ["give submitted_by_kind and submitted_by_name together"]}
            )

    @validates_schema
    def repair_needs_product_and_address(self, data, **_):
        """A repair needs the product model and the service address (INT-2)."""
        if data.get("request_type") == "repair":
            missing = {}
            if not data.get("product_model"):
                missing["product_model"] = ["required for a repair request"]
            if not data.get("site_id"):
                missing["site_id"] = ["required for a repair request"]
            if missing:
                raise ValidationError(missing)


class TriageOut(Schema):
    diagnosis = fields.String(allow_none=True)
    diagnosed_at = UTCDateTime(allow_none=True)
    diagnosed_by_id = fields.Integer(allow_none=True)
    answer = fields.String(allow_none=True)
    answered_how = fields.String(allow_none=True)
    answered_at = UTCDateTime(allow_none=True)
    in_scope = fields.Boolean(allow_none=True)
    scope_reason = fields.String(allow_none=True)
    scope_checked_at = UTCDateTime(allow_none=True)
    missing = fields.List(fields.String())
    needs_supplement = fields.Boolean()
    requested_time = fields.String(allow_none=True)
    details_confirmed_at = UTCDateTime(allow_none=True)
    details_confirmed_by_id = fields.Integer(allow_none=True)


class ContactIn(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(("call", "app_message")))
    direction = fields.String(required=True, validate=validate.OneOf(contact_log.DIRECTIONS))
    summary = fields.String(required=True, validate=validate.Length(min=2, max=1000))


class TimelineEntryOut(Schema):
    at = UTCDateTime()
    channel = fields.String()
    direction = fields.String()
    summary = fields.String()
    author_id = fields.Integer(allow_none=True)


class ReadBackIn(Schema):
    requested_time = fields.String(
        required=True,
        validate=validate.Length(min=2, max=200),
        metadata={"description": "The time the customer asked for, as agreed on the call"},
    )


class DiagnosisIn(Schema):
    diagnosis = fields.String(required=True, validate=validate.Length(min=3, max=4000))


class ResolveWithoutVisitIn(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    how = fields.String(required=True, validate=validate.OneOf(rules.ANSWER_HOW))


class ScopeIn(Schema):
    in_scope = fields.Boolean(required=True)
    reason = fields.String(load_default=None, validate=validate.Length(min=3, max=500))
    service_class = fields.String(required=True, validate=validate.OneOf(rules.SERVICE_CLASSES))

    @validates_schema
    def out_of_scope_needs_reason(self, data, **_):
        """Out of scope needs the reason (INT-10)."""
        if data.get("in_scope") is False and not data.get("reason"):
            raise ValidationError({"reason": ["required when the request is out of scope"]})


class SupplementIn(Schema):
    missing = fields.List(
        fields.String(validate=validate.Length(min=2, max=200)),
        required=True,
        validate=validate.Length(max=20),
        metadata={"description": "What the customer still has to supply; [] clears it"},
    )


class NewNeedIn(Schema):
    fault_description = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    request_type = fields.String(load_default=None, validate=validate.OneOf(rules.REQUEST_TYPES))
    channel = fields.String(load_default="phone", validate=validate.OneOf(rules.CHANNELS))


class UnconfirmedQuery(Schema):
    before = fields.Integer(load_default=None, metadata={"description": "Keyset: ids below this"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class FileEntryOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()


class FileRequestOut(FileEntryOut):
    request_type = fields.String()
    fault_description = fields.String()
    registered_at = UTCDateTime()
    follows_request_id = fields.Integer(allow_none=True)


class FileVisitOut(FileEntryOut):
    request_id = fields.Integer()
    window_start = UTCDateTime()
    rating = fields.Integer(allow_none=True)


class FileVoucherOut(FileEntryOut):
    visit_id = fields.Integer()


class FileComplaintOut(FileEntryOut):
    category = fields.String()
    registered_at = UTCDateTime()


class FileNoteOut(Schema):
    id = fields.Integer()
    note = fields.String()
    complaint_id = fields.Integer()
    created_at = UTCDateTime()


class CustomerSummaryOut(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    tier = fields.String()
    notes = fields.String(allow_none=True)
    possible_duplicate_of_id = fields.Integer(allow_none=True)


class CustomerFileOut(Schema):
    customer = fields.Nested(CustomerSummaryOut)
    requests = fields.List(fields.Nested(FileRequestOut))
    visits = fields.List(fields.Nested(FileVisitOut))
    vouchers = fields.List(fields.Nested(FileVoucherOut))
    complaints = fields.List(fields.Nested(FileComplaintOut))
    special_notes = fields.List(fields.Nested(FileNoteOut))


class RequestBriefOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    registered_at = UTCDateTime()


class AnswerDueOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    registered_at = UTCDateTime()
    answer_due = fields.Function(
        lambda r: (r.registered_at + rules.ANSWER_DEADLINE).isoformat(),
        metadata={"description": "registration + 72 h (APT-12)"},
    )


class RequestClockOut(Schema):
    booking_due_at = UTCDateTime(
        metadata={"description": "a date agreed by: 1 working day of the region (APT-1, DSP-1)"}
    )
    answer_due_at = UTCDateTime(metadata={"description": "registration + 72 h (APT-12)"})
    answered_at = UTCDateTime(
        allow_none=True, metadata={"description": "when the specific answer was given"}
    )
    answered_late = fields.Boolean(
        metadata={"description": "the specific answer came after 72 h (APT-12)"}
    )


class RequestOut(Schema):
    id = fields.Integer()
    number = fields.String()
    customer_id = fields.Integer()
    site_id = fields.Integer(allow_none=True)
    asset_id = fields.Integer(allow_none=True)
    request_type = fields.String()
    channel = fields.String()
    category = fields.String()
    service_class = fields.String()
    priority = fields.String()
    product_model = fields.String(allow_none=True)
    fault_description = fields.String()
    expected_outcome = fields.String(allow_none=True)
    status = fields.String()
    hold_reason = fields.String(allow_none=True)
    origin_request_id = fields.Integer(allow_none=True)  # VCH-12
    hold_told_at = UTCDateTime(allow_none=True)
    hold_told_by_id = fields.Integer(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)
    registered_at = UTCDateTime()
    reported_at = UTCDateTime(allow_none=True)
    registrar_id = fields.Integer()
    first_owner_id = fields.Integer()
    owner_id = fields.Integer()
    follows_request_id = fields.Integer(allow_none=True)
    submitted_by_kind = fields.String(allow_none=True)
    submitted_by_name = fields.String(allow_none=True)
    assessment = fields.Nested(TriageOut, allow_none=True)
    clock = fields.Nested(
        RequestClockOut,
        allow_none=True,
        metadata={"description": "booking and answer clocks of a job request (APT-1, APT-12)"},
    )


class RequestListItemOut(RequestOut):
    region_id = fields.Integer(attribute="site.region_id", allow_none=True)


RequestListArgs = list_args(
    "RequestListArgs",
    REQUEST_SORTS,
    "-registered_at",
    status=fields.String(load_default=None, validate=validate.OneOf(list(rules.JobStatus))),
    region_id=fields.Integer(load_default=None, validate=validate.Range(1, 2**31 - 1)),
    request_type=fields.String(load_default=None, validate=validate.OneOf(rules.REQUEST_TYPES)),
    channel=fields.String(load_default=None, validate=validate.OneOf(rules.CHANNELS)),
    customer_id=fields.Integer(load_default=None, validate=validate.Range(1, 2**31 - 1)),
    q=fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Text: start of the number, or part of fault or product model"},
    ),
)
RequestPage = page_schema(RequestListItemOut, "RequestPage")
