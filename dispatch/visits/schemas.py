"""Back-office visit schemas."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.followups.schemas import FollowUpRecordOut as FollowUpOut
from dispatch.visits.fieldwork_rules import HAZARD_KINDS
from dispatch.visits.rules import VisitStatus
from dispatch.visits.service import VISIT_SORTS

ID = validate.Range(1, 2**31 - 1)


class SignatureOut(Schema):
    role = fields.String()
    signer_name = fields.String()
    signed_at = UTCDateTime()
    content_hash = fields.String()
    image_sha256 = fields.String()


class VoucherOut(Schema):
    id = fields.Integer()
    number = fields.String()
    service_class = fields.String()
    started_at = UTCDateTime(allow_none=True)  # None until filled (VCH-1)
    ended_at = UTCDateTime(allow_none=True)
    service_content = fields.String(allow_none=True)
    parts = fields.List(fields.Dict())
    labour_minutes = fields.Integer()
    fee_cents = fields.Integer()
    status = fields.String()
    content_hash = fields.Function(lambda v: v.content_hash())
    customer_signature_valid = fields.Function(lambda v: v.has_valid_signature("customer"))
    signatures = fields.List(fields.Nested(SignatureOut))


class VisitOut(Schema):
    id = fields.Integer()
    number = fields.String()
    hazard_kind = fields.String(attribute="field_record.hazard_kind", allow_none=True)  # VCH-18
    lone_working = fields.Boolean(attribute="field_record.lone_working")
    simple = fields.Boolean()  # DSP-10
    request_id = fields.Integer()
    technician_id = fields.Integer(allow_none=True)
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    duration_minutes = fields.Integer()
    status = fields.String()
    appointment_status = fields.String(attribute="appointment.status")
    confirmed_at = UTCDateTime(attribute="appointment.confirmed_at", allow_none=True)
    confirmed_via = fields.String(
        attribute="appointment.confirmed_via",
        allow_none=True,
        metadata={"description": "customer (by link) or agent (on the customer's behalf)"},
    )
    confirmed_by_id = fields.Integer(attribute="appointment.confirmed_by_id", allow_none=True)
    appointment_kind = fields.String(attribute="appointment.kind")
    arrived_late = fields.Boolean(attribute="field_record.arrived_late")
    delay_eta = UTCDateTime(attribute="field_record.delay_eta", allow_none=True)
    assistance_notes = fields.String(attribute="appointment.assistance_notes", allow_none=True)
    access_instructions = fields.String(
        attribute="appointment.access_instructions", allow_none=True
    )
    en_route_at = UTCDateTime(allow_none=True)
    arrived_at = UTCDateTime(allow_none=True)
    completed_at = UTCDateTime(allow_none=True)
    rating = fields.Integer(allow_none=True)
    rating_comment = fields.String(allow_none=True)
    version = fields.Integer()
    required_skill = fields.String(allow_none=True)
    required_level = fields.Integer()
    priority = fields.String()
    pinned_technician = fields.Boolean(attribute="route_stop.pinned_technician")
    pinned_start = UTCDateTime(attribute="route_stop.pinned_start", allow_none=True)
    planned_start = UTCDateTime(attribute="route_stop.planned_start", allow_none=True)
    route_position = fields.Integer(attribute="route_stop.route_position", allow_none=True)
    released_at = UTCDateTime(attribute="appointment.released_at", allow_none=True)
    released_by_id = fields.Integer(attribute="appointment.released_by_id", allow_none=True)
    release_reason = fields.String(attribute="appointment.release_reason", allow_none=True)


class ReleaseIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class VisitDetailOut(VisitOut):
    voucher = fields.Nested(VoucherOut, allow_none=True)
    followup = fields.Nested(FollowUpOut, allow_none=True)


class VisitListItemOut(VisitOut):
    region_id = fields.Integer(attribute="request.site.region_id", allow_none=True)
    request_number = fields.String(attribute="request.number")
    technician_name = fields.String(attribute="technician.name", allow_none=True)


VisitListArgs = list_args(
    "VisitListArgs",
    VISIT_SORTS,
    "window_start",
    day=fields.Date(
        load_default=None,
        data_key="date",
        metadata={"description": "Calendar day (YYYY-MM-DD) in each visit's region's zone"},
    ),
    region_id=fields.Integer(load_default=None, validate=ID),
    technician_id=fields.Integer(load_default=None, validate=ID),
    status=fields.String(load_default=None, validate=validate.OneOf(list(VisitStatus))),
    request_id=fields.Integer(load_default=None, validate=ID),
    unassigned=fields.Boolean(
        load_default=None, metadata={"description": "true: no technician yet; false: assigned"}
    ),
)
VisitPage = page_schema(VisitListItemOut, "VisitPage")


class HazardIn(Schema):
    hazard_kind = fields.String(
        required=True, allow_none=True, validate=validate.OneOf(HAZARD_KINDS)
    )  # None clears the flag
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))
