"""Follow-up schemas: the survey (FUP-3) and the staff listing."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.followups.rules import SURVEY_REASONS, FollowUpStatus
from dispatch.followups.service import FOLLOWUP_SORTS

SCORE = validate.Range(1, 5)


class SurveyIn(Schema):
    rating = fields.Integer(required=True, validate=SCORE)
    quality = fields.Integer(load_default=None, validate=SCORE)
    timeliness = fields.Integer(load_default=None, validate=SCORE)
    attitude = fields.Integer(load_default=None, validate=SCORE)
    reasons = fields.List(fields.String(validate=validate.OneOf(SURVEY_REASONS)), load_default=list)
    problem_solved = fields.Boolean(load_default=None)
    comment = fields.String(load_default=None, validate=validate.Length(max=1000))


class FollowUpRecordOut(Schema):
    id = fields.Integer()
    visit_id = fields.Integer()
    status = fields.String()
    due_at = UTCDateTime()
    deadline_at = UTCDateTime()
    sent_at = UTCDateTime(allow_none=True)
    answered_at = UTCDateTime(allow_none=True)
    answered_via = fields.String(allow_none=True)
    rating = fields.Integer(allow_none=True)
    quality = fields.Integer(allow_none=True)
    timeliness = fields.Integer(allow_none=True)
    attitude = fields.Integer(allow_none=True)
    reasons = fields.List(fields.String(), allow_none=True)
    problem_solved = fields.Boolean(allow_none=True)
    comment = fields.String(allow_none=True)
    overdue = fields.Boolean()
    phone_task_owner_id = fields.Integer(allow_none=True)


class FollowUpListItemOut(FollowUpRecordOut):
    customer_id = fields.Integer(attribute="visit.request.customer_id")
    request_id = fields.Integer(attribute="visit.request_id")
    region_id = fields.Integer(attribute="visit.request.site.region_id", allow_none=True)


_ID = validate.Range(1, 2**31 - 1)


FollowUpListArgs = list_args(
    "FollowUpListArgs",
    FOLLOWUP_SORTS,
    "-id",
    status=fields.String(load_default=None, validate=validate.OneOf(list(FollowUpStatus))),
    overdue=fields.Boolean(
        load_default=None, metadata={"description": "not sent by its deadline (FUP-1)"}
    ),
    visit_id=fields.Integer(load_default=None, validate=_ID),
    customer_id=fields.Integer(load_default=None, validate=_ID),
    region_id=fields.Integer(load_default=None, validate=_ID),
)


FollowUpPage = page_schema(FollowUpListItemOut, "FollowUpPage")


class DelegateIn(Schema):
    """FUP-6: the colleague taking the phone follow-up over, and why."""

    to_user_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))


class ReopenIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))
