"""Catalogue schemas."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate


class PartOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit_price_cents = fields.Integer()
    active = fields.Boolean()


class PartSearchQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=64))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class PartImportIn(Schema):
    file = Upload(
        required=True,
        metadata={"description": "CSV, UTF-8: code,name,unit_price (yuan)[,active]"},
    )


class ImportRowOut(Schema):
    line = fields.Integer()
    code = fields.String()
    status = fields.String(metadata={"description": "created | updated | unchanged | failed"})
    errors = fields.List(fields.String())


class ImportReportOut(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.Integer()
    rows = fields.List(fields.Nested(ImportRowOut))
