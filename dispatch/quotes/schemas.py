"""Schemas of the fee table, quotes and charges (VCH-3, VCH-4, VCH-15)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.quotes.fees import FEE_SORTS
from dispatch.quotes.rules import ChargeStatus, FaultCause, RepairMethod, WarrantyStatus

ID = validate.Range(1, 2**31 - 1)
CODE = validate.Regexp(r"^[A-Za-z0-9_.-]{1,32}$")


class FeeItemIn(Schema):
    code = fields.String(required=True, validate=CODE)
    name_zh = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(required=True, validate=validate.Length(min=1, max=200))
    price_cents = fields.Integer(required=True, validate=validate.Range(0, 100_000_000))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=16))
    valid_from = UTCDateTime(
        load_default=None, metadata={"description": "From when this price applies (default now)"}
    )
    region_id = fields.Integer(
        load_default=None,
        validate=ID,
        metadata={"description": "The region's own price; none: every region"},
    )


class FeeItemOut(Schema):
    id = fields.Integer()
    region_id = fields.Integer(allow_none=True)
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    price_cents = fields.Integer()
    unit = fields.String()
    valid_from = UTCDateTime()


FeeItemQuery = list_args(
    "FeeItemQuery",
    FEE_SORTS,
    "code",
    region_id=fields.Integer(load_default=None, validate=ID),
    code=fields.String(load_default=None, validate=CODE),
)
FeeItemPage = page_schema(FeeItemOut, "FeeItemPage")


class ChargeIn(Schema):
    code = fields.String(
        load_default=None, validate=CODE, metadata={"description": "A code of the fee table"}
    )
    quantity = fields.Integer(load_default=1, validate=validate.Range(1, 999))
    name = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Outside the fee table: what is charged"},
    )
    unit = fields.String(load_default=None, validate=validate.Length(min=1, max=16))
    price_cents = fields.Integer(load_default=None, validate=validate.Range(0, 100_000_000))
    reason = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Outside the fee table: why (VCH-15)"},
    )


class ChargeOut(Schema):
    id = fields.Integer()
    code = fields.String(allow_none=True)
    name = fields.String()
    unit = fields.String()
    unit_price_cents = fields.Integer()
    quantity = fields.Integer()
    amount_cents = fields.Integer()
    off_table = fields.Boolean()
    reason = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": [s.value for s in ChargeStatus]})
    confirmed_at = UTCDateTime(allow_none=True)
    confirmed_via = fields.String(allow_none=True)
    disputed_at = UTCDateTime(allow_none=True)
    complaint_id = fields.Integer(allow_none=True)


class WarrantyRulesOut(Schema):
    entry_id = fields.Integer()
    number = fields.String()
    title = fields.String()


class QuoteOut(Schema):
    visit_id = fields.Integer()
    status = fields.String()
    findings = fields.String()
    fault_cause = fields.String()
    repair_method = fields.String()
    warranty_status = fields.String()
    warranty_basis = fields.String()
    minutes = fields.Integer()
    total_cents = fields.Integer()
    accepted_at = UTCDateTime(allow_none=True)
    accepted_via = fields.String(allow_none=True)
    charges = fields.List(fields.Nested(ChargeOut))
    warranty_rules = fields.Nested(
        WarrantyRulesOut,
        allow_none=True,
        metadata={"description": "The warranty and repair rules entry of the product (VCH-4)"},
    )


class QuoteIn(Schema):
    device_time = UTCDateTime(required=True)
    findings = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    fault_cause = fields.String(
        required=True, validate=validate.OneOf([c.value for c in FaultCause])
    )
    repair_method = fields.String(
        required=True,
        validate=validate.OneOf([m.value for m in RepairMethod]),
        metadata={"description": "The chosen repair method; it picks the repair rules (VCH-4)"},
    )
    warranty_status = fields.String(
        required=True, validate=validate.OneOf([w.value for w in WarrantyStatus])
    )
    warranty_basis = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Why in or out of warranty (purchase date, card, seal…)"},
    )
    minutes = fields.Integer(required=True, validate=validate.Range(0, 24 * 60))
    charges = fields.List(fields.Nested(ChargeIn), required=True, validate=validate.Length(max=50))


class DisputeIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
