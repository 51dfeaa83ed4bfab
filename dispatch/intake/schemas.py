"""Intake schemas: one API for every request type (INT-1, INT-2)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from dispatch.api.fields import UTCDateTime
from dispatch.intake import rules

REQUIRED_FOR_REPAIR = "Required when request_type is `repair`; otherwise optional (INT-2)"


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
