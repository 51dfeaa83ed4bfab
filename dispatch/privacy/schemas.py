"""Privacy endpoints' schemas (unknown fields refused everywhere: PRV-3)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.intake.rules import CHANNELS
from dispatch.privacy import rules


class ConsentRecordIn(Schema):
    purposes = fields.List(
        fields.String(validate=validate.OneOf(rules.PURPOSES)),
        required=True,
        validate=validate.Length(min=1, max=len(rules.PURPOSES)),
    )
    given = fields.Boolean(required=True, metadata={"description": "false withdraws"})
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=16))


class ConsentOut(Schema):
    id = fields.Integer()
    purposes = fields.List(fields.String())
    scope = fields.String()
    manner = fields.String()
    channel = fields.String()
    notice_version = fields.String()
    given = fields.Boolean()
    recorded_at = UTCDateTime()
    recorded_by_kind = fields.String()


class AccessLogOut(Schema):
    id = fields.Integer()
    at = UTCDateTime()
    actor_kind = fields.String()
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String(allow_none=True)
    customer_id = fields.Integer(allow_none=True)
    record = fields.String()
    record_id = fields.Integer(allow_none=True)
    fields_ = fields.List(fields.String(), attribute="fields", data_key="fields")
    action = fields.String()
    purpose = fields.String()


class CorrectionIn(Schema):
    field = fields.String(required=True, validate=validate.OneOf(rules.CORRECTABLE_FIELDS))
    value = fields.String(required=True, validate=validate.Length(min=1, max=300))
    site_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**31 - 1))


class CorrectionOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    field = fields.String()
    site_id = fields.Integer(allow_none=True)
    via = fields.String()
    status = fields.String()
    requested_at = UTCDateTime()
    decided_at = UTCDateTime(allow_none=True)


class ChangeDecisionIn(Schema):
    approve = fields.Boolean(required=True)


class ErasureOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    cause = fields.String()
    via = fields.String()
    status = fields.String()
    held_reason = fields.String(allow_none=True)
    requested_at = UTCDateTime()
    done_at = UTCDateTime(allow_none=True)


class ExportOut(Schema):
    customer = fields.Dict()
    sites = fields.List(fields.Dict())
    assets = fields.List(fields.Dict())
    consents = fields.List(fields.Dict())
    requests = fields.List(fields.Dict())
    visits = fields.List(fields.Dict())
    processors = fields.Dict()


class DisclosureQuery(Schema):
    processor = fields.String(validate=validate.OneOf(list(rules.PROCESSORS)))
    customer_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class DisclosureOut(Schema):
    id = fields.Integer()
    at = UTCDateTime()
    processor = fields.String()
    customer_id = fields.Integer(allow_none=True)
    fields_ = fields.List(fields.String(), attribute="fields", data_key="fields")
    reference = fields.String(allow_none=True)


class AccessReviewRow(Schema):
    user_id = fields.Integer()
    username = fields.String()
    role = fields.String()
    region_ids = fields.List(fields.Integer())
    active = fields.Boolean()


class AccessReviewOut(Schema):
    generated_at = UTCDateTime()
    users = fields.List(fields.Nested(AccessReviewRow))
    by_role = fields.Dict(keys=fields.String(), values=fields.Integer())


class DataQualityOut(Schema):
    generated_at = UTCDateTime()
    duplicates = fields.List(fields.List(fields.Integer()))
    invalid = fields.List(fields.Dict())


class LocationConsentIn(Schema):
    given = fields.Boolean(required=True)


class LocationConsentOut(Schema):
    given = fields.Boolean()
    at = UTCDateTime()


class PositionIn(Schema):
    visit_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    taken_at = UTCDateTime(required=True)


class PositionOut(Schema):
    recorded = fields.Boolean()
    reason = fields.String(allow_none=True)
