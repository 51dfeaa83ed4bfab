"""Customer file schemas (unknown fields are refused: PRV-3)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.customers.models import LANGUAGES, TIERS
from dispatch.intake.rules import CHANNELS


class ConsentIn(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=16))


class CustomerIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    phone = fields.String(required=True, validate=validate.Length(min=3, max=32))
    email = fields.Email(load_default=None)
    tier = fields.String(load_default="ordinary", validate=validate.OneOf(TIERS))
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))
    notes = fields.String(load_default=None, validate=validate.Length(max=2000))
    consent = fields.Nested(ConsentIn, required=True)


class SiteIn(Schema):
    address = fields.String(required=True, validate=validate.Length(min=3, max=300))
    label = fields.String(load_default=None, validate=validate.Length(max=60))
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class SiteOut(Schema):
    id = fields.Integer()
    label = fields.String(allow_none=True)
    address = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    geocoded_by = fields.String()
    region_id = fields.Integer(allow_none=True)
    outside_all_regions = fields.Function(lambda site: site.region_id is None)


class AssetIn(Schema):
    model = fields.String(required=True, validate=validate.Length(min=1, max=120))
    serial = fields.String(load_default=None, validate=validate.Length(max=120))
    site_id = fields.Integer(load_default=None)
    purchase_date = fields.Date(load_default=None)
    purchase_place = fields.String(load_default=None, validate=validate.Length(max=200))


class AssetOut(Schema):
    id = fields.Integer()
    model = fields.String()
    serial = fields.String(allow_none=True)
    site_id = fields.Integer(allow_none=True)
    purchase_date = fields.Date(allow_none=True)
    purchase_place = fields.String(allow_none=True)


class PhoneOut(Schema):
    phone = fields.String()
    label = fields.String(allow_none=True)


class PhoneIn(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=5, max=32))
    label = fields.String(load_default=None, validate=validate.Length(max=40))


class MergeIn(Schema):
    into_customer_id = fields.Integer(
        required=True, metadata={"description": "The customer kept; this one is merged into it"}
    )


class CustomerOut(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    tier = fields.String()
    language = fields.String()
    notes = fields.String(allow_none=True)
    possible_duplicate_of_id = fields.Integer(allow_none=True)
    merged_into_id = fields.Integer(allow_none=True)
    other_phones = fields.List(fields.Nested(PhoneOut))
    created_at = UTCDateTime()
    sites = fields.List(fields.Nested(SiteOut))
    assets = fields.List(fields.Nested(AssetOut))


class PhoneQuery(Schema):
    phone = fields.String(required=True)
