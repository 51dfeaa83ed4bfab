"""Knowledge-base schemas (staff and mobile share the entry output)."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime
from dispatch.knowledge.rules import ContentType, SourceKind, Visibility

_name = validate.Length(1, 120)
_short = validate.Length(1, 64)


class NodeIn(Schema):
    name = fields.String(required=True, validate=_name)
    parent_id = fields.Integer(load_default=None, allow_none=True)


class NodeOut(Schema):
    id = fields.Integer()
    name = fields.String()


class TopicOut(NodeOut):
    pass


class PackageOut(NodeOut):
    topics = fields.List(fields.Nested(TopicOut))


class CategoryOut(NodeOut):
    packages = fields.List(fields.Nested(PackageOut))


class MediaIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["image", "video", "file"]))
    url = fields.Url(required=True)
    caption = fields.String(load_default="", validate=validate.Length(max=200))


class TextIn(Schema):
    title = fields.String(required=True, validate=validate.Length(1, 200))
    problem = fields.String(load_default="", validate=validate.Length(max=4000))
    cause = fields.String(load_default="", validate=validate.Length(max=4000))
    solution_steps = fields.List(
        fields.String(validate=validate.Length(1, 2000)),
        load_default=list,
        validate=validate.Length(max=50),
    )
    product_models = fields.List(fields.String(validate=_short), load_default=list)
    tags = fields.List(fields.String(validate=_short), load_default=list)
    media = fields.List(fields.Nested(MediaIn), load_default=list)


class EntryIn(Schema):
    topic_id = fields.Integer(required=True)
    content_type = fields.String(required=True, validate=validate.OneOf(list(ContentType)))
    business_category = fields.String(required=True, validate=_short)
    product_category = fields.String(required=True, validate=_short)
    problem_type = fields.String(required=True, validate=_short)
    solution_method = fields.String(required=True, validate=_short)
    visibility = fields.String(load_default="internal", validate=validate.OneOf(list(Visibility)))
    valid_until = UTCDateTime(load_default=None, allow_none=True)
    source_document = fields.String(load_default=None, allow_none=True, validate=_name)
    text = fields.Nested(TextIn, required=True)


class KbDecisionIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class VersionOut(Schema):
    id = fields.Integer()
    number = fields.Integer(allow_none=True)
    status = fields.String()
    title = fields.String()
    problem = fields.String()
    cause = fields.String()
    solution_steps = fields.List(fields.String())
    product_models = fields.List(fields.String())
    tags = fields.List(fields.String())
    media = fields.List(fields.Dict())
    author_id = fields.Integer()
    reviewer_id = fields.Integer(allow_none=True)
    submitted_at = UTCDateTime(allow_none=True)
    decided_at = UTCDateTime(allow_none=True)
    review_note = fields.String(allow_none=True)


class EntryOut(Schema):
    id = fields.Integer()
    number = fields.String()
    topic_id = fields.Integer()
    status = fields.String()
    content_type = fields.String()
    business_category = fields.String()
    product_category = fields.String()
    problem_type = fields.String()
    solution_method = fields.String()
    source_kind = fields.String(metadata={"enum": list(SourceKind)})
    source_visit_id = fields.Integer(allow_none=True)
    source_document = fields.String(allow_none=True)
    visibility = fields.String()
    valid_until = UTCDateTime(allow_none=True)
    next_review_at = UTCDateTime(allow_none=True)
    author_id = fields.Integer()
    published = fields.Nested(VersionOut, allow_none=True)
    pending = fields.Nested(VersionOut, allow_none=True)


class EntryBriefOut(Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()
    content_type = fields.String()
    problem_type = fields.String()
    visibility = fields.String()
    status = fields.String()
    next_review_at = UTCDateTime(allow_none=True)


class SearchQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    model = fields.String(load_default=None, validate=_short)
    tag = fields.String(load_default=None, validate=_short)
    problem_type = fields.String(load_default=None, validate=_short)
    product_category = fields.String(load_default=None, validate=_short)
    category_id = fields.Integer(load_default=None)
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 50))


class SuggestQuery(Schema):
    fault = fields.String(required=True, validate=validate.Length(1, 200))
    model = fields.String(load_default=None, validate=_short)


class PageQuery(Schema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class FeedbackIn(Schema):
    helpful = fields.Boolean(load_default=None, allow_none=True)
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 2000))


class FeedbackOut(Schema):
    id = fields.Integer()
    entry_id = fields.Integer()
    helpful = fields.Boolean(allow_none=True)
    comment = fields.String(allow_none=True)
    created_at = UTCDateTime()


class FlagIn(Schema):
    visit_id = fields.Integer(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class QueueItemOut(Schema):
    id = fields.Integer()
    entry_id = fields.Integer()
    visit_id = fields.Integer()
    raised_by_id = fields.Integer()
    note = fields.String()
    open = fields.Boolean()
    created_at = UTCDateTime()


class VisitDraftIn(Schema):
    topic_id = fields.Integer(required=True)
    title = fields.String(load_default=None, validate=validate.Length(1, 200))
    problem_type = fields.String(load_default="fault", validate=_short)
    tags = fields.List(fields.String(validate=_short), load_default=list)


class SmsOut(Schema):
    text = fields.String()


class PeriodQuery(Schema):
    start = UTCDateTime(required=True)
    end = UTCDateTime(required=True)


class ZeroQueryOut(Schema):
    query = fields.String()
    count = fields.Integer()


class UsageReportOut(Schema):
    views = fields.Integer()
    searches = fields.Integer()
    zero_result_searches = fields.Integer()
    flags = fields.Integer()
    helpful = fields.Integer()
    not_helpful = fields.Integer()
    top_zero_result_queries = fields.List(fields.Nested(ZeroQueryOut))


class ModelsReportOut(Schema):
    product_models = fields.List(fields.String())


class KbImportIn(Schema):
    rows = fields.List(fields.Dict(), required=True, validate=validate.Length(1, 1000))


class KbImportRowOut(Schema):
    row = fields.Integer()
    status = fields.String(metadata={"description": "created | failed"})
    entry_id = fields.Integer(allow_none=True)
    errors = fields.Dict()


class KbImportReportOut(Schema):
    created = fields.Integer()
    failed = fields.Integer()
    rows = fields.List(fields.Nested(KbImportRowOut))


class KbCsvImportIn(Schema):
    file = Upload(
        required=True,
        metadata={
            "description": "UTF-8 CSV: the EntryIn fields and title, problem, cause, "
            "solution_steps, product_models, tags (lists split on '|')"
        },
    )
