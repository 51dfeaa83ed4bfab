"""Complaint API schemas (CMP-1, CMP-13)."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.complaints import rules
from dispatch.complaints.service import COMPLAINT_SORTS
from dispatch.intake.rules import CHANNELS

REMEDIES = (
    "repair",
    "replacement",
    "return",
    "installation",
    "inspection",
    "re_service",
    "refund",
    "compensation",
    "apology",
)


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(min=2, max=max_length), **kwargs)


class ComplaintIn(Schema):
    customer_id = fields.Integer(required=True)
    visit_id = fields.Integer(load_default=None)
    request_id = fields.Integer(
        load_default=None, metadata={"description": "The job complained about (CMP-1)"}
    )
    technician_id = fields.Integer(load_default=None)
    place = _text(300, load_default=None)
    course_of_events = _text(4000, load_default=None)
    involved = fields.List(
        fields.String(validate=validate.Length(min=1, max=120)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "People or departments involved (CMP-1)"},
    )
    department = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=64),
        metadata={"description": "The department complained about; routes the handler (CMP-4)"},
    )
    subject_user_id = fields.Integer(
        load_default=None, metadata={"description": "The person complained about (CMP-4)"}
    )
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    category = fields.String(required=True, validate=validate.OneOf(rules.CATEGORIES))
    nature = fields.String(required=True, validate=validate.OneOf(rules.NATURES))
    severity = fields.String(load_default="general", validate=validate.OneOf(rules.SEVERITIES))
    priority = fields.String(load_default="medium", validate=validate.OneOf(rules.PRIORITIES))
    description = _text(4000, required=True)
    expected_resolution = _text(2000, load_default=None)
    received_at = UTCDateTime(load_default=None)
    received_outside_cs = fields.Boolean(
        load_default=False, metadata={"description": "Taken by staff outside customer service"}
    )
    major_triggers = fields.List(
        fields.String(validate=validate.OneOf(rules.MAJOR_TRIGGERS)), load_default=list
    )
    damage_cents = fields.Integer(load_default=None, validate=validate.Range(0, 10**11))


class ResponseIn(Schema):
    kind = fields.String(
        required=True, validate=validate.OneOf(("first", "verification", "second"))
    )
    message = _text(2000, required=True)
    estimated_resolution_at = UTCDateTime(load_default=None)


class HandOverIn(Schema):
    to_user_id = fields.Integer(required=True)
    reason = _text(500, required=True)


class EvidenceIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("photo", "document", "note")))
    reference = _text(500, required=True)  # photo id, file address or the note itself


class InvestigationIn(Schema):
    authentic = fields.Boolean(required=True)
    severity = fields.String(required=True, validate=validate.OneOf(rules.SEVERITIES))
    cause = _text(4000, required=True)
    responsible_party = _text(200, load_default=None)
    evidence = fields.List(fields.Nested(EvidenceIn), load_default=list)
    evidence_attachment_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=50),
        metadata={
            "description": "Uploaded attachments of this complaint, its job or its visit, "
            "linked to the investigation as evidence (CMP-12, INT-16)"
        },
    )
    major_triggers = fields.List(
        fields.String(validate=validate.OneOf(rules.MAJOR_TRIGGERS)),
        load_default=list,
        metadata={"description": "Triggers found while investigating (CMP-9)"},
    )
    damage_cents = fields.Integer(load_default=None, validate=validate.Range(0, 10**11))


class ResolutionPlanIn(Schema):
    steps = _text(4000, required=True)
    deadline = UTCDateTime(required=True)
    remedies = fields.List(
        fields.String(validate=validate.OneOf(REMEDIES)),
        required=True,
        validate=validate.Length(min=1),
    )
    responsible_user_id = fields.Integer(required=True)


class GmDecisionIn(ResolutionPlanIn):
    note = _text(2000, required=True, metadata={"description": "Told to the customer"})


class DecisionIn(Schema):
    accepted = fields.Boolean(required=True)
    note = _text(2000, load_default=None, metadata={"description": "Required on a rejection"})


class CaseDecisionIn(Schema):
    opened = fields.Boolean(required=True)
    note = _text(2000, required=True, metadata={"description": "The reply to the complainant"})
    handler_id = fields.Integer(load_default=None)


class AppealDecisionIn(Schema):
    evaluation = _text(4000, required=True)
    outcome = fields.String(
        required=True, validate=validate.OneOf(("new_solution", "reinvestigate"))
    )
    steps = _text(4000, load_default=None)
    deadline = UTCDateTime(load_default=None)
    remedies = fields.List(fields.String(validate=validate.OneOf(REMEDIES)), load_default=None)
    responsible_user_id = fields.Integer(load_default=None)


class OnSpotIn(Schema):
    resolution = _text(4000, required=True)
    remedies = fields.List(
        fields.String(validate=validate.OneOf(REMEDIES)),
        required=True,
        validate=validate.Length(min=1),
    )


class ReviewIn(Schema):
    remedies = _text(4000, required=True)
    responsible = fields.List(
        fields.String(validate=validate.Length(min=1, max=120)),
        required=True,
        validate=validate.Length(min=1, max=20),
    )


class AssistIn(Schema):
    department = fields.String(required=True, validate=validate.Length(min=1, max=64))
    request = _text(4000, required=True)
    due_at = UTCDateTime(required=True)


class AssistDoneIn(Schema):
    answer = _text(4000, required=True)


class JobIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("inspection", "repair")))
    site_id = fields.Integer(required=True)
    asset_id = fields.Integer(load_default=None)
    fault_description = _text(4000, required=True)


class ReportIn(Schema):
    cause = _text(4000, required=True)
    fix = _text(4000, required=True)
    prevention = _text(4000, required=True)


class ServiceReportOut(Schema):
    """A hard complaint's service report as head office reads it (CMP-15)."""

    complaint_id = fields.Integer(attribute="id")
    number = fields.String()
    region_id = fields.Integer(allow_none=True)
    category = fields.String()
    severity = fields.String()
    cause = fields.String(attribute="report_cause")
    fix = fields.String(attribute="report_fix")
    prevention = fields.String(attribute="report_prevention")
    reported_at = UTCDateTime()
    jobs = fields.List(fields.Nested(lambda: LinkedJobOut()))


class ServiceReportArgs(Schema):
    before = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "keyset: the last (smallest) complaint id of the previous page"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class NoteIn(Schema):
    note = _text(2000, required=True)


class NoteOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    complaint_id = fields.Integer()
    note = fields.String()
    created_at = UTCDateTime()


COMPENSATION_KINDS = ("cash", "refund", "replacement", "free_service", "gift", "other")


class CompensationIn(Schema):
    complaint_id = fields.Integer(load_default=None)
    request_id = fields.Integer(load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(COMPENSATION_KINDS))
    amount_cents = fields.Integer(required=True, validate=validate.Range(0, 10**11))
    reason = _text(2000, required=True)
    approver_id = fields.Integer(required=True)


class CompensationOut(CompensationIn):
    id = fields.Integer()
    at = UTCDateTime()


class ComplaintRouteIn(Schema):
    category = fields.String(load_default=None, validate=validate.OneOf(rules.CATEGORIES))
    department = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    handler_id = fields.Integer(required=True)


class ComplaintRouteOut(ComplaintRouteIn):
    id = fields.Integer()


class ResolveIn(Schema):
    resolution = _text(4000, required=True)


class ComplaintFollowUpIn(Schema):
    satisfied = fields.Boolean(required=True)
    recurred = fields.Boolean(required=True)
    note = _text(2000, load_default=None)


class CloseIn(Schema):
    customer_feedback = _text(2000, required=True)


_ID = validate.Range(1, 2**31 - 1)
ComplaintListArgs = list_args(
    "ComplaintListArgs",
    COMPLAINT_SORTS,
    "-id",
    overdue=fields.Boolean(load_default=None, metadata={"description": "a breached clock (CMP-8)"}),
    status=fields.String(load_default=None, validate=validate.OneOf(list(rules.ComplaintStatus))),
    visit_id=fields.Integer(load_default=None, validate=_ID),
    customer_id=fields.Integer(load_default=None, validate=_ID),
    region_id=fields.Integer(load_default=None, validate=_ID),
)


class ClockOut(Schema):
    name = fields.String()
    started_at = UTCDateTime()
    due_at = UTCDateTime()
    met_at = UTCDateTime(allow_none=True)
    breached_at = UTCDateTime(allow_none=True)


class TransferOut(Schema):
    from_owner_id = fields.Integer()
    to_owner_id = fields.Integer()
    reason = fields.String()
    at = UTCDateTime()


class EscalationOut(Schema):
    level = fields.Integer()
    target_role = fields.String()
    reason = fields.String()
    at = UTCDateTime()


class StepOut(Schema):
    status = fields.String()
    at = UTCDateTime()


class AssistOut(Schema):
    id = fields.Integer()
    department = fields.String()
    request = fields.String()
    due_at = UTCDateTime()
    requested_at = UTCDateTime()
    answer = fields.String(allow_none=True)
    done_at = UTCDateTime(allow_none=True)


class AppealOut(Schema):
    reason = fields.String()
    superior_role = fields.String()
    opened_at = UTCDateTime()
    evaluation = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    decided_at = UTCDateTime(allow_none=True)


class LinkedJobOut(Schema):
    request_id = fields.Integer()
    number = fields.String(attribute="request.number")
    request_type = fields.String(attribute="request.request_type")
    status = fields.String(attribute="request.status")


class EvidenceFileOut(Schema):
    """An uploaded file linked to the investigation (CMP-12); download it by attachment id."""

    attachment_id = fields.Integer()
    filename = fields.String(attribute="attachment.filename")
    media = fields.String(attribute="attachment.media")
    content_type = fields.String(attribute="attachment.content_type")
    size = fields.Integer(attribute="attachment.size")
    uploaded_by_id = fields.Integer(attribute="attachment.uploaded_by_id")
    linked_at = UTCDateTime()


class ComplaintOut(Schema):
    id = fields.Integer()
    number = fields.String()
    customer_id = fields.Integer()
    visit_id = fields.Integer(allow_none=True)
    followup_id = fields.Integer(allow_none=True)
    channel = fields.String()
    category = fields.String()
    nature = fields.String()
    severity = fields.String()
    major_triggers = fields.List(fields.String())
    damage_cents = fields.Integer(allow_none=True)
    supervised_by_cs = fields.Boolean()
    repeat_repair_candidate = fields.Boolean()
    priority = fields.String()
    description = fields.String()
    place = fields.String(allow_none=True)
    course_of_events = fields.String(allow_none=True)
    involved = fields.List(fields.String())
    request_id = fields.Integer(allow_none=True)
    technician_id = fields.Integer(allow_none=True)
    department = fields.String(allow_none=True)
    subject_user_id = fields.Integer(allow_none=True)
    status = fields.String()
    received_at = UTCDateTime()
    first_owner_id = fields.Integer()
    owner_id = fields.Integer()
    escalation_level = fields.Integer()
    overdue = fields.Boolean()
    case_decided_at = UTCDateTime(allow_none=True)
    case_decision_note = fields.String(allow_none=True)
    authentic = fields.Boolean(allow_none=True)
    cause = fields.String(allow_none=True)
    evidence = fields.List(fields.Dict())
    evidence_files = fields.List(fields.Nested(EvidenceFileOut))
    responsible_party = fields.String(allow_none=True)
    plan_steps = fields.String(allow_none=True)
    plan_deadline = UTCDateTime(allow_none=True)
    plan_remedies = fields.List(fields.String(), allow_none=True)
    plan_responsible_id = fields.Integer(allow_none=True)
    plan_accepted_at = UTCDateTime(allow_none=True)
    plan_accepted_via = fields.String(allow_none=True)
    gm_decided_at = UTCDateTime(allow_none=True)
    review_remedies = fields.String(allow_none=True)
    review_responsible = fields.List(fields.String(), allow_none=True)
    reviewed_at = UTCDateTime(allow_none=True)
    report_cause = fields.String(allow_none=True)
    report_fix = fields.String(allow_none=True)
    report_prevention = fields.String(allow_none=True)
    reported_at = UTCDateTime(allow_none=True)
    resolution = fields.String(allow_none=True)
    resolved_at = UTCDateTime(allow_none=True)
    followup_satisfied = fields.Boolean(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)
    clocks = fields.List(fields.Nested(ClockOut))
    transfers = fields.List(fields.Nested(TransferOut))
    escalations = fields.List(fields.Nested(EscalationOut))
    steps = fields.List(fields.Nested(StepOut))
    assists = fields.List(fields.Nested(AssistOut))
    appeals = fields.List(fields.Nested(AppealOut))
    jobs = fields.List(fields.Nested(LinkedJobOut))
    compensations = fields.List(fields.Nested(lambda: CompensationOut()))


class FirstResponseIn(Schema):
    message = _text(2000, required=True)
    timetable = _text(500, required=True, metadata={"description": "When what happens next"})


class FirstResponseOut(Schema):
    request_id = fields.Integer()
    due_at = UTCDateTime()
    responded_at = UTCDateTime(allow_none=True)
    timetable = fields.String(allow_none=True)
    breached_at = UTCDateTime(allow_none=True)


ComplaintPage = page_schema(ComplaintOut, "ComplaintPage")
