"""Customer file schemas (unknown fields are refused: PRV-3)."""

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import page_schema
from dispatch.customers.models import LANGUAGES, TIERS
from dispatch.intake.rules import CHANNELS

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain_text(value: str) -> None:
    """PRV-15: no control characters in names and addresses."""
    if CONTROL.search(value) or not value.strip():
        raise ValidationError("must be printable text")


def has_letters(value: str) -> None:
    """PRV-15: an address names a place (letters or characters), not only digits and signs."""
    if not any(ch.isalpha() for ch in value):
        raise ValidationError("an address needs a street or place name")


class ConsentIn(Schema):
    """The consent record (PRV-1): the agent records the customer's verbal consent, or the
    customer accepts on the link. Purposes, scope and manner default to the notice's words."""

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    notice_version = fields.String(required=True, validate=validate.Length(min=1, max=16))
    purposes = fields.List(
        fields.String(validate=validate.OneOf(["service"])),
        load_default=None,
        validate=validate.Length(min=1, max=1),
    )
    scope = fields.String(load_default=None, validate=validate.Length(min=1, max=500))
    manner = fields.String(load_default=None, validate=validate.Length(min=1, max=500))
    marketing = fields.Boolean(
        load_default=False, metadata={"description": "separate marketing opt-in (PRV-2)"}
    )


class CustomerIn(Schema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=120), plain_text])
    phone = fields.String(required=True, validate=validate.Length(min=3, max=32))
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    tier = fields.String(load_default="ordinary", validate=validate.OneOf(TIERS))
    language = fields.String(load_default="zh-CN", validate=validate.OneOf(LANGUAGES))
    notes = fields.String(load_default=None, validate=validate.Length(max=2000))
    consent = fields.Nested(ConsentIn, required=True)


class SiteIn(Schema):
    address = fields.String(
        required=True, validate=[validate.Length(min=3, max=300), plain_text, has_letters]
    )
    label = fields.String(load_default=None, validate=validate.Length(max=60))
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))


class SiteOut(Schema):
    id = fields.Integer()
    label = fields.String(allow_none=True)
    address = fields.String()
    lat = fields.Float(allow_none=True)  # none once erased (PRV-9)
    lon = fields.Float(allow_none=True)
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


class CustomerQuery(Schema):
    """List and search (PRV-10: matched through keyed-hash indexes, never plain text)."""

    class Meta:
        unknown = RAISE  # PRV-3: an unknown query parameter is an error, not ignored

    phone = fields.String(
        validate=validate.Length(min=3, max=32), metadata={"description": "whole number (INT-5)"}
    )
    phone_prefix = fields.String(
        validate=validate.Length(min=3, max=32), metadata={"description": "3+ leading digits"}
    )
    name = fields.String(validate=validate.Length(min=1, max=120))
    address = fields.String(validate=validate.Length(min=2, max=300))
    region_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    after = fields.String(
        load_default=None,
        validate=validate.Length(max=2000),
        metadata={"description": "The `next_cursor` of the previous page (opaque)"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    sort = fields.String(load_default="id", validate=validate.OneOf(["id", "-id"]))


CustomerPage = page_schema(CustomerOut, "CustomerPage")
