"""Back-office voucher schemas."""

import base64
import binascii

from marshmallow import Schema, ValidationError, fields, validate

from dispatch.api.base import app_config
from dispatch.api.fields import UTCDateTime
from dispatch.visits.schemas import VoucherOut
from dispatch.vouchers import rules
from dispatch.vouchers.models import EDITABLE


class Base64Bytes(fields.Field):
    """Bytes sent as base64 text (signature images are then checked by the voucher rules)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("must be base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("is not valid base64") from exc


class CountersignIn(Schema):
    signer_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    image = Base64Bytes(required=True, metadata={"description": "PNG, base64"})


class PartLine(Schema):
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "an active code of the parts catalogue"},
    )
    name = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=120),
        metadata={"description": "ignored: the voucher stores the catalogue's name and price"},
    )
    quantity = fields.Integer(required=True, validate=validate.Range(1, 1000))


class VoucherEditIn(Schema):
    service_content = fields.String(validate=validate.Length(min=3, max=4000))
    parts = fields.List(fields.Nested(PartLine))
    labour_minutes = fields.Integer(validate=validate.Range(0, 24 * 60))
    fee_cents = fields.Integer(validate=validate.Range(0, 100_000_000))
    problem = fields.String(validate=validate.Length(min=2, max=4000))
    work_done = fields.String(validate=validate.Length(min=2, max=4000))
    solution = fields.String(validate=validate.Length(min=2, max=4000))
    result = fields.String(validate=validate.Length(min=2, max=1000))


class AmendmentIn(Schema):
    field = fields.String(required=True, validate=validate.OneOf(EDITABLE))
    new_value = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class AmendmentOut(Schema):
    id = fields.Integer()
    field = fields.String()
    old_value = fields.String()
    new_value = fields.String()
    reason = fields.String()
    author_id = fields.Integer()
    created_at = UTCDateTime()


class VoucherDetailOut(VoucherOut):
    visit_id = fields.Integer()
    problem = fields.String(allow_none=True)
    work_done = fields.String(allow_none=True)
    solution = fields.String(allow_none=True)
    result = fields.String(allow_none=True)
    manager_signature_valid = fields.Function(lambda v: v.has_valid_signature("manager"))
    unsigned_reason = fields.String(allow_none=True)
    archived_at = UTCDateTime(allow_none=True)
    amendments = fields.List(fields.Nested(AmendmentOut))
    is_archived = fields.Boolean(metadata={"description": "both signatures in; read-only"})
    verification_url = fields.Function(
        lambda v: rules.verification_url(app_config().public_base_url, v.number, v.content_hash()),
        metadata={"description": "the page the PDF's QR code opens, with the full code"},
    )


class ReconciliationQuery(Schema):
    day = fields.Date(required=True, metadata={"description": "local day, YYYY-MM-DD"})


class MismatchOut(Schema):
    visit_number = fields.String()
    request_number = fields.String()
    voucher_number = fields.String(allow_none=True)
    problems = fields.List(fields.String())


class ReconciliationOut(Schema):
    day = fields.Date()
    requests_registered = fields.Integer()
    visits_completed = fields.Integer()
    vouchers_issued = fields.Integer()
    vouchers_archived = fields.Integer()
    mismatches = fields.List(fields.Nested(MismatchOut))
