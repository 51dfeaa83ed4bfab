"""Schemas of the technician app; kept apart so the app's contract changes only on purpose."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch import access
from dispatch.api.fields import UTCDateTime
from dispatch.knowledge.schemas import EntryBriefOut
from dispatch.payments.rules import COLLECTION_METHODS
from dispatch.privacy.service import LogsCustomerReads
from dispatch.visits.fieldwork_rules import NO_SIGNATURE_REASONS, PAUSE_REASONS, UNABLE_REASONS
from dispatch.vouchers.schemas import Base64Bytes
from dispatch.vouchers.schemas import PartLine as PartIn


class MobileLoginIn(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    device_id = fields.String(required=True, validate=validate.Length(min=4, max=128))


class MobileTokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()


class TodayQuery(Schema):
    day = fields.Date(
        load_default=None,
        data_key="date",
        metadata={"description": "The day (YYYY-MM-DD); default today in my region's zone"},
    )


class DeviceTimeIn(Schema):
    device_time = UTCDateTime(required=True)


class DelayIn(Schema):
    new_eta = UTCDateTime(required=True, metadata={"description": "The new expected arrival"})


class ArriveIn(DeviceTimeIn):
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class PauseIn(DeviceTimeIn):
    reason = fields.String(required=True, validate=validate.OneOf(PAUSE_REASONS))


class UnableIn(DeviceTimeIn):
    reason = fields.String(required=True, validate=validate.OneOf(UNABLE_REASONS))
    note = fields.String(load_default=None, validate=validate.Length(max=1000))
    return_window_start = UTCDateTime(load_default=None)
    return_window_end = UTCDateTime(load_default=None)


class WorkRecordIn(Schema):
    diagnosis = fields.String(validate=validate.Length(max=4000))
    work_done = fields.String(validate=validate.Length(max=4000))
    solution = fields.String(validate=validate.Length(max=4000))


class NoSignatureIn(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(NO_SIGNATURE_REASONS))
    note = fields.String(load_default=None, validate=validate.Length(max=500))


class SignatureIn(Schema):
    signer_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    image = Base64Bytes(required=True, metadata={"description": "PNG, base64"})
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class SafetyCheckIn(DeviceTimeIn):
    """VCH-18: the pre-work checklist of a hazardous job and its second person (工作监护人)."""

    work_permit = fields.Boolean(load_default=False)
    safety_briefing = fields.Boolean(load_default=False)
    hazard_analysis = fields.String(load_default=None, validate=validate.Length(min=3, max=2000))
    controls = fields.String(load_default=None, validate=validate.Length(min=3, max=2000))
    guardian_name = fields.String(load_default=None, validate=validate.Length(min=2, max=120))


class AssessmentIn(DeviceTimeIn):
    """VCH-5: what a supervisor approves before it goes to the customer."""

    diagnosis = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    proposed_solution = fields.String(required=True, validate=validate.Length(min=3, max=4000))


class AnythingElseIn(Schema):
    """VCH-12: the answer to "anything else?" at completion; a yes names the further need."""

    needed = fields.Boolean(required=True)
    description = fields.String(load_default=None, validate=validate.Length(min=3, max=2000))

    @validates_schema
    def _need_named(self, data, **kwargs):
        if data["needed"] and not data.get("description"):
            raise ValidationError({"description": ["describe the further need"]})


class CompleteIn(DeviceTimeIn):
    service_content = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    parts = fields.List(fields.Nested(PartIn), load_default=list)
    labour_minutes = fields.Integer(load_default=0, validate=validate.Range(0, 24 * 60))
    fee_cents = fields.Integer(load_default=0, validate=validate.Range(0, 100_000_000))
    collection_method = fields.String(
        load_default=None,
        validate=validate.OneOf(COLLECTION_METHODS),
        metadata={"description": "how a class-A fee up to the on-site cap was collected"},
    )
    # VCH-6: the voucher's record; the first three default to the visit's work record.
    diagnosis = fields.String(load_default=None, validate=validate.Length(min=2, max=4000))
    work_done = fields.String(load_default=None, validate=validate.Length(min=2, max=4000))
    solution = fields.String(load_default=None, validate=validate.Length(min=2, max=4000))
    result = fields.String(
        load_default=None,
        validate=validate.Length(min=2, max=1000),
        metadata={"description": "the outcome (处理结果); the voucher is refused without it"},
    )
    signature = fields.Nested(SignatureIn, load_default=None)
    no_signature = fields.Nested(NoSignatureIn, load_default=None)
    anything_else = fields.Nested(AnythingElseIn, load_default=None)

    @validates_schema
    def _signature_or_reason(self, data, **kwargs):
        if (data.get("signature") is None) == (data.get("no_signature") is None):
            raise ValidationError(
                "give the customer's signature, or no_signature with the reason",
                field_name="signature",
            )


class ForViewer(fields.String):
    """A string the permission layer shapes for the visit's viewer (documented as a string)."""

    def __init__(self, pick, **kwargs):
        super().__init__(**kwargs)
        self.pick = pick

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.pick(obj)


class TechnicianVisitOut(LogsCustomerReads, Schema):
    """A visit as the technician's phone shows it; every dump is access-logged (PRV-5)."""

    personal_fields = ("name", "phone", "sites.address")
    access_purpose = "technician visit"

    @staticmethod
    def customer_id_of(visit) -> int | None:
        return visit.request.customer_id if visit.request else None

    id = fields.Integer()
    number = fields.String()
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    status = fields.String()
    appointment_status = fields.String(attribute="appointment.status")
    hazard_kind = fields.String(attribute="field_record.hazard_kind", allow_none=True)  # VCH-18
    safety_checked_at = UTCDateTime(attribute="field_record.safety_checked_at", allow_none=True)
    customer_name = fields.String(attribute="request.customer.name")
    # PRV-4: full only from acceptance until the period after closure; masked otherwise.
    customer_phone = ForViewer(access.phone_for_viewer)
    address = ForViewer(access.address_for_viewer)
    lat = fields.Float(attribute="request.site.lat", allow_none=True)
    lon = fields.Float(attribute="request.site.lon", allow_none=True)
    product_model = fields.String(attribute="request.product_model", allow_none=True)
    fault_description = fields.String(attribute="request.fault_description")
    voucher_number = fields.Function(lambda v: v.voucher.number if v.voucher else None)
    voucher_status = fields.Function(lambda v: v.voucher.status if v.voucher else None)
    version = fields.Integer()
    arrival_distance_m = fields.Float(attribute="field_record.arrival_distance_m", allow_none=True)
    arrival_far_from_site = fields.Boolean(
        attribute="field_record.arrival_far_from_site", allow_none=True
    )
    pause_reason = fields.String(attribute="field_record.pause_reason", allow_none=True)
    unable_reason = fields.String(attribute="field_record.unable_reason", allow_none=True)
    follow_up_of_id = fields.Integer(allow_none=True)
    diagnosis = fields.String(attribute="field_record.diagnosis", allow_none=True)
    work_done = fields.String(attribute="field_record.work_done", allow_none=True)
    solution = fields.String(attribute="field_record.solution", allow_none=True)
    service_class = fields.String(attribute="request.service_class")
    estimate_cents = fields.Integer(attribute="field_record.estimate_cents", allow_none=True)
    estimate_accepted_at = UTCDateTime(
        attribute="field_record.estimate_accepted_at", allow_none=True
    )
    appointment_kind = fields.String(attribute="appointment.kind")
    arrived_late = fields.Boolean(attribute="field_record.arrived_late")
    delay_eta = UTCDateTime(attribute="field_record.delay_eta", allow_none=True)
    assistance_notes = fields.String(attribute="appointment.assistance_notes", allow_none=True)
    access_instructions = fields.String(
        attribute="appointment.access_instructions", allow_none=True
    )


class RouteVisitOut(TechnicianVisitOut):
    """A visit of my route, with the top knowledge hints for its model and fault (KB-4)."""

    knowledge_hints = fields.List(fields.Nested(EntryBriefOut))


class SyncQuery(Schema):
    since = UTCDateTime(required=True, metadata={"description": "server_time of the last sync"})


class SyncOut(Schema):
    server_time = UTCDateTime()
    created = fields.List(fields.Integer())
    updated = fields.List(fields.Integer())
    deleted = fields.List(fields.Integer())
    visits = fields.List(fields.Nested(RouteVisitOut))
