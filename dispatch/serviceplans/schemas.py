"""Service plan schemas (INT-12)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.serviceplans import rules


class ServicePlanDraftIn(Schema):
    remedy = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    estimate_cents = fields.Integer(
        load_default=None,
        validate=validate.Range(min=0, max=100_000_000),
        metadata={"description": "Estimated cost in cents; required to propose a class A plan"},
    )
    estimate_minutes = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=100_000),
        metadata={"description": "Estimated working time; required to propose a class A plan"},
    )


class ServicePlanRejectIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class ServicePlanOut(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    status = fields.String(metadata={"enum": [str(s) for s in rules.PlanStatus]})
    version = fields.Integer(metadata={"description": "How many times it was proposed"})
    remedy = fields.String()
    estimate_cents = fields.Integer(allow_none=True)
    estimate_minutes = fields.Integer(allow_none=True)
    drafted_at = UTCDateTime()
    proposed_at = UTCDateTime(allow_none=True)
    agreed_at = UTCDateTime(allow_none=True)
    agreed_via = fields.String(allow_none=True, metadata={"enum": list(rules.AGREED_VIA)})
    agreed_by_id = fields.Integer(allow_none=True)
    rejected_at = UTCDateTime(allow_none=True)
    reject_reason = fields.String(allow_none=True)
    rejections = fields.Integer()
