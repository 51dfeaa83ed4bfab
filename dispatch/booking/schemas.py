"""Booking API schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch.api.fields import UTCDateTime
from dispatch.booking.rules import APPOINTMENT_KINDS, contact_overdue_why


class WindowIn(Schema):
    window_start = UTCDateTime(required=True)
    window_end = UTCDateTime(required=True)

    @validates_schema
    def window_in_order(self, data, **_):
        if data["window_end"] <= data["window_start"]:
            raise ValidationError({"window_end": ["must be after window_start"]})


class BookIn(WindowIn):
    technician_id = fields.Integer(
        load_default=None, metadata={"description": "Leave out to let the planner choose"}
    )
    required_skill = fields.String(load_default=None, validate=validate.Length(max=48))
    required_level = fields.Integer(load_default=1, validate=validate.Range(1, 5))
    duration_minutes = fields.Integer(load_default=60, validate=validate.Range(5, 12 * 60))
    kind = fields.String(
        load_default="repair",
        validate=validate.OneOf(APPOINTMENT_KINDS),
        metadata={"description": "The appointment's type (APT-3)"},
    )
    assistance_notes = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "Special assistance the customer needs (APT-10)"},
    )
    access_instructions = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "How to get in: gate code, floor, parking (APT-10)"},
    )
    auto_assign = fields.Boolean(
        load_default=True,
        metadata={"description": "Find a technician who can keep the window (else: planner)"},
    )


class SlotQuery(Schema):
    days = fields.Integer(load_default=5, validate=validate.Range(1, 14))
    duration_minutes = fields.Integer(load_default=60, validate=validate.Range(5, 12 * 60))
    required_skill = fields.String(load_default=None, validate=validate.Length(max=48))
    required_level = fields.Integer(load_default=1, validate=validate.Range(1, 5))


class SlotOut(Schema):
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    technician_id = fields.Integer()
    planned_start = UTCDateTime()


class CallTaskQuery(Schema):
    before = fields.Integer(load_default=None, metadata={"description": "Keyset: ids below this"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class CallTaskOut(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    visit_id = fields.Integer()
    kind = fields.String()
    reason = fields.String(allow_none=True)
    created_at = UTCDateTime()
    resolved_at = UTCDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)


class ResolveCallIn(Schema):
    outcome = fields.String(required=True, validate=validate.Length(min=2, max=1000))


class CancelIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class ContactDueOut(Schema):
    id = fields.Integer()
    number = fields.String()
    registered_at = UTCDateTime()
    contact_due = UTCDateTime(
        attribute="clock.booking_due_at",
        metadata={"description": "1 working day of the region's calendar (APT-1, DSP-1)"},
    )
    status = fields.String()
    why = fields.Function(
        lambda r: contact_overdue_why(r.status),
        metadata={"description": "no_visit, or proposal_unconfirmed (proposed, not agreed)"},
    )
    priority = fields.String()
