"""Complaint API schemas (CMP-1, CMP-13)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.complaints import rules
from dispatch.intake.rules import CHANNELS

REMEDIES = (
    "repair",
    "replacement",
    "return",
    "installation",
    "inspection",
    "re_service",
    "refund",
    "compensation",
    "apology",
)


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(min=2, max=max_length), **kwargs)


class ComplaintIn(Schema):
    customer_id = fields.Integer(required=True)
    visit_id = fields.Integer(load_default=None)
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    category = fields.String(required=True, validate=validate.OneOf(rules.CATEGORIES))
    nature = fields.String(required=True, validate=validate.OneOf(rules.NATURES))
    severity = fields.String(load_default="general", validate=validate.OneOf(rules.SEVERITIES))
    priority = fields.String(load_default="medium", validate=validate.OneOf(rules.PRIORITIES))
    description = _text(4000, required=True)
    expected_resolution = _text(2000, load_default=None)
    received_at = UTCDateTime(load_default=None)
    received_outside_cs = fields.Boolean(
        load_default=False, metadata={"description": "Taken by staff outside customer service"}
    )
    major_triggers = fields.List(
        fields.String(validate=validate.OneOf(rules.MAJOR_TRIGGERS)), load_default=list
    )
    damage_cents = fields.Integer(load_default=None, validate=validate.Range(0, 10**11))


class ResponseIn(Schema):
    kind = fields.String(
        required=True, validate=validate.OneOf(("first", "verification", "second"))
    )
    message = _text(2000, required=True)
    estimated_resolution_at = UTCDateTime(load_default=None)


class HandOverIn(Schema):
    to_user_id = fields.Integer(required=True)
    reason = _text(500, required=True)


class InvestigationIn(Schema):
    authentic = fields.Boolean(required=True)
    severity = fields.String(required=True, validate=validate.OneOf(rules.SEVERITIES))
    cause = _text(4000, required=True)


class ResolutionPlanIn(Schema):
    steps = _text(4000, required=True)
    deadline = UTCDateTime(required=True)
    remedies = fields.List(
        fields.String(validate=validate.OneOf(REMEDIES)),
        required=True,
        validate=validate.Length(min=1),
    )
    responsible_user_id = fields.Integer(required=True)


class DecisionIn(Schema):
    accepted = fields.Boolean(required=True)
    note = _text(2000, load_default=None)


class ResolveIn(Schema):
    resolution = _text(4000, required=True)


class ComplaintFollowUpIn(Schema):
    satisfied = fields.Boolean(required=True)
    recurred = fields.Boolean(required=True)
    note = _text(2000, load_default=None)


class CloseIn(Schema):
    customer_feedback = _text(2000, required=True)


class ComplaintListArgs(Schema):
    overdue = fields.Boolean(load_default=None)


class ClockOut(Schema):
    name = fields.String()
    started_at = UTCDateTime()
    due_at = UTCDateTime()
    met_at = UTCDateTime(allow_none=True)
    breached_at = UTCDateTime(allow_none=True)


class TransferOut(Schema):
    from_owner_id = fields.Integer()
    to_owner_id = fields.Integer()
    reason = fields.String()
    at = UTCDateTime()


class EscalationOut(Schema):
    level = fields.Integer()
    target_role = fields.String()
    reason = fields.String()
    at = UTCDateTime()


class ComplaintOut(Schema):
    id = fields.Integer()
    number = fields.String()
    customer_id = fields.Integer()
    visit_id = fields.Integer(allow_none=True)
    followup_id = fields.Integer(allow_none=True)
    channel = fields.String()
    category = fields.String()
    nature = fields.String()
    severity = fields.String()
    major_triggers = fields.List(fields.String())
    damage_cents = fields.Integer(allow_none=True)
    supervised_by_cs = fields.Boolean()
    repeat_repair_candidate = fields.Boolean()
    priority = fields.String()
    description = fields.String()
    status = fields.String()
    received_at = UTCDateTime()
    first_owner_id = fields.Integer()
    owner_id = fields.Integer()
    escalation_level = fields.Integer()
    overdue = fields.Boolean()
    authentic = fields.Boolean(allow_none=True)
    cause = fields.String(allow_none=True)
    plan_steps = fields.String(allow_none=True)
    plan_deadline = UTCDateTime(allow_none=True)
    plan_remedies = fields.List(fields.String(), allow_none=True)
    plan_accepted_at = UTCDateTime(allow_none=True)
    resolved_at = UTCDateTime(allow_none=True)
    followup_satisfied = fields.Boolean(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)
    clocks = fields.List(fields.Nested(ClockOut))
    transfers = fields.List(fields.Nested(TransferOut))
    escalations = fields.List(fields.Nested(EscalationOut))
