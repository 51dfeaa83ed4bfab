"""Return-visit schemas: plans (configuration), the task list and an outcome (FUP-9)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.returnvisits.rules import MAX_INTERVAL_MONTHS, ReturnVisitOutcome, ReturnVisitStatus
from dispatch.returnvisits.service import RETURN_VISIT_SORTS

_ID = validate.Range(1, 2**31 - 1)
_INTERVAL = validate.Range(1, MAX_INTERVAL_MONTHS)


class ReturnPlanIn(Schema):
    service_class = fields.String(load_default=None, validate=validate.Length(equal=1))
    product_model = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    interval_months = fields.Integer(
        required=True,
        validate=_INTERVAL,
        metadata={"description": "A return visit every this many months after the completion"},
    )


class ReturnPlanChangeIn(Schema):
    interval_months = fields.Integer(load_default=None, validate=_INTERVAL)
    active = fields.Boolean(load_default=None)


class ReturnPlanOut(Schema):
    id = fields.Integer()
    service_class = fields.String(allow_none=True)
    product_model = fields.String(allow_none=True)
    interval_months = fields.Integer()
    active = fields.Boolean()
    created_at = UTCDateTime()


class OutcomeIn(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(list(ReturnVisitOutcome)))
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class ReturnVisitOut(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    request_id = fields.Integer()
    customer_id = fields.Integer()
    due_at = UTCDateTime()
    status = fields.String()
    owner_id = fields.Integer(allow_none=True)
    outcome = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    done_at = UTCDateTime(allow_none=True)
    done_by_id = fields.Integer(allow_none=True)


ReturnVisitListArgs = list_args(
    "ReturnVisitListArgs",
    RETURN_VISIT_SORTS,
    "due_at",
    status=fields.String(load_default=None, validate=validate.OneOf(list(ReturnVisitStatus))),
    return_plan_id=fields.Integer(load_default=None, validate=_ID),
    customer_id=fields.Integer(load_default=None, validate=_ID),
)
ReturnVisitPage = page_schema(ReturnVisitOut, "ReturnVisitPage")
