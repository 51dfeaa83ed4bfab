"""Schemas of the technician app; kept apart so the app's contract changes only on purpose."""

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from dispatch.api.fields import UTCDateTime


class Base64Bytes(fields.Field):
    """Bytes sent as base64 text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("must be base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("is not valid base64") from exc


class MobileLoginIn(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    device_id = fields.String(required=True, validate=validate.Length(min=4, max=128))


class MobileTokensOut(Schema):
    access_token = fields.String()
    refresh_token = fields.String()


class DeviceTimeIn(Schema):
    device_time = UTCDateTime(required=True)


class ArriveIn(DeviceTimeIn):
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class SignatureIn(Schema):
    signer_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    image = Base64Bytes(required=True, metadata={"description": "PNG, base64"})
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class PartIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    quantity = fields.Integer(required=True, validate=validate.Range(1, 1000))


class CompleteIn(DeviceTimeIn):
    service_content = fields.String(required=True, validate=validate.Length(min=3, max=4000))
    parts = fields.List(fields.Nested(PartIn), load_default=list)
    labour_minutes = fields.Integer(load_default=0, validate=validate.Range(0, 24 * 60))
    fee_cents = fields.Integer(load_default=0, validate=validate.Range(0, 100_000_000))
    signature = fields.Nested(SignatureIn, required=True)


class TechnicianVisitOut(Schema):
    id = fields.Integer()
    number = fields.String()
    window_start = fields.DateTime()
    window_end = fields.DateTime()
    status = fields.String()
    appointment_status = fields.String()
    customer_name = fields.String(attribute="request.customer.name")
    customer_phone = fields.String(attribute="request.customer.phone")
    address = fields.String(attribute="request.site.address")
    lat = fields.Float(attribute="request.site.lat")
    lon = fields.Float(attribute="request.site.lon")
    product_model = fields.String(attribute="request.product_model")
    fault_description = fields.String(attribute="request.fault_description")
    voucher_number = fields.Function(lambda v: v.voucher.number if v.voucher else None)
