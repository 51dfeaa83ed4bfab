"""Staff API of the knowledge base under /api/v1/knowledge."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import current_actor, roles_required, transactional
from dispatch.db import db
from dispatch.errors import RuleViolation
from dispatch.knowledge import access, bulk, output, service, usage
from dispatch.knowledge import schemas as s
from dispatch.knowledge.models import KbCategory, KbPackage, KbTopic
from dispatch.knowledge.search import search
from dispatch.knowledge.segment import app_segmenter

blp = Blueprint("knowledge", __name__, url_prefix="/api/v1/knowledge", description="Knowledge base")
NODES = {"categories": KbCategory, "packages": KbPackage, "topics": KbTopic}
STAFF = tuple(r for r in access.READERS if r != "technician")


@blp.route("/tree")
class Tree(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, s.CategoryOut(many=True))
    def get(self):
        """Return the tree: category → package → topic (KB-1)."""
        return service.tree(db.session)


@blp.route("/<any(categories,packages,topics):kind>")
class Nodes(MethodView):
    @roles_required(*access.ADMINISTRATORS)
    @blp.arguments(s.NodeIn)
    @blp.response(201, s.NodeOut)
    @transactional
    def post(self, data, kind):
        """Add a node; a package needs its category, a topic its package (KB-1)."""
        return service.add_node(db.session, actor=current_actor(), kind=NODES[kind], **data)


@blp.route("/entries")
class Entries(MethodView):
    @roles_required(*access.AUTHORS)
    @blp.arguments(s.EntryIn)
    @blp.response(201, s.EntryOut)
    @transactional
    def post(self, data):
        """Write a new entry as a draft, checked against its content type's template."""
        entry = service.create_entry(db.session, actor=current_actor(), **data)
        return output.staff_view(db.session, current_actor(), entry)


@blp.route("/import")
class Import(MethodView):
    @roles_required(*access.AUTHORS)
    @blp.arguments(s.KbImportIn)
    @blp.response(200, s.KbImportReportOut)
    @transactional
    def post(self, data):
        """Import entries from JSON rows (each as POST /entries); the report gives each row."""
        return bulk.import_rows(db.session, actor=current_actor(), rows=data["rows"])


@blp.route("/import.csv")
class ImportCsv(MethodView):
    @roles_required(*access.AUTHORS)
    @blp.arguments(s.KbCsvImportIn, location="files")
    @blp.response(200, s.KbImportReportOut)
    @transactional
    def post(self, files):
        """Import entries from a UTF-8 CSV (lists split on '|'); the report gives each row."""
        try:
            text = files["file"].read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RuleViolation("The CSV must be UTF-8 text", error_code="csv_encoding") from exc
        return bulk.import_rows(db.session, actor=current_actor(), rows=bulk.csv_rows(text))


@blp.route("/search")
class Search(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(s.SearchQuery, location="query")
    @blp.response(200, s.EntryBriefOut(many=True))
    @transactional  # the search is logged (KB-10)
    def get(self, query):
        """Search published entries in Chinese or English, by error code, model, tag (KB-4)."""
        found = search(db.session, actor=current_actor(), cut=app_segmenter().cut, **query)
        return output.briefs(db.session, found)


@blp.route("/suggestions")
class Suggestions(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(s.SuggestQuery, location="query")
    @blp.response(200, s.EntryBriefOut(many=True))
    def get(self, query):
        """Suggest entries while an agent types the fault at intake (KB-4); not logged."""
        found = usage.suggestions(
            db.session, actor=current_actor(), cut=app_segmenter().cut, **query
        )
        return output.briefs(db.session, found)


@blp.route("/entries/<int:entry_id>")
class Entry(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, s.EntryOut)
    @transactional  # the view is logged (KB-10)
    def get(self, entry_id):
        """Read an entry: its published text, and the pending one for those who may see it."""
        return output.read(db.session, current_actor(), entry_id)


@blp.route("/entries/<int:entry_id>/text")
class EntryText(MethodView):
    @roles_required(*access.AUTHORS)
    @blp.arguments(s.TextIn)
    @blp.response(200, s.EntryOut)
    @transactional
    def put(self, data, entry_id):
        """Write the entry's next text; a published text stays until the change is approved."""
        actor = current_actor()
        service.propose(db.session, actor=actor, entry_id=entry_id, text=data)
        entry = service.get_entry(db.session, actor=actor, entry_id=entry_id)
        return output.staff_view(db.session, actor, entry)


@blp.route("/entries/<int:entry_id>/<any(submit,approve,reject,retire):action>")
class EntryAction(MethodView):
    @roles_required(*access.AUTHORS)
    @blp.arguments(s.KbDecisionIn)
    @blp.response(200, s.EntryOut)
    @transactional
    def post(self, data, entry_id, action):
        """Submit for review; approve or reject (reviewers, never one's own); retire."""
        actor, session = current_actor(), db.session
        if action == "submit":
            entry = service.submit(session, actor=actor, entry_id=entry_id)
        elif action == "retire":
            entry = service.retire(session, actor=actor, entry_id=entry_id)
        else:
            entry = service.decide(
                session, actor=actor, entry_id=entry_id, approve=action == "approve", **data
            )
        return output.staff_view(session, actor, entry)


@blp.route("/entries/<int:entry_id>/versions")
class Versions(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(s.PageQuery, location="query")
    @blp.response(200, s.VersionOut(many=True))
    def get(self, query, entry_id):
        """List approved versions with author, reviewer and time, keyset by number (KB-7)."""
        return service.versions(db.session, actor=current_actor(), entry_id=entry_id, **query)


@blp.route("/entries/<int:entry_id>/versions/<int:number>")
class Version(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, s.VersionOut)
    def get(self, entry_id, number):
        """Read one earlier version (KB-7)."""
        actor = current_actor()
        return service.version(db.session, actor=actor, entry_id=entry_id, number=number)


@blp.route("/entries/<int:entry_id>/sms")
class Sms(MethodView):
    @roles_required(*STAFF)
    @blp.response(200, s.SmsOut)
    def get(self, entry_id):
        """Return the entry as plain SMS text: no markup, no attachments (KB-12)."""
        return {"text": output.sms(db.session, current_actor(), entry_id)}


@blp.route("/entries/<int:entry_id>/feedback")
class Feedback(MethodView):
    @roles_required(*STAFF)
    @blp.arguments(s.FeedbackIn)
    @blp.response(201, s.FeedbackOut)
    @transactional
    def post(self, data, entry_id):
        """Say whether the entry helped, and comment (KB-10)."""
        return usage.give_feedback(db.session, actor=current_actor(), entry_id=entry_id, **data)


@blp.route("/queue")
class Queue(MethodView):
    @roles_required(*access.ADMINISTRATORS)
    @blp.arguments(s.PageQuery, location="query")
    @blp.response(200, s.QueueItemOut(many=True))
    def get(self, query):
        """List open "did not solve it" items, oldest first (KB-9)."""
        return usage.queue(db.session, actor=current_actor(), **query)


@blp.route("/queue/<int:item_id>/close")
class QueueClose(MethodView):
    @roles_required(*access.ADMINISTRATORS)
    @blp.response(200, s.QueueItemOut)
    @transactional
    def post(self, item_id):
        """Close a handled queue item."""
        return usage.close_item(db.session, actor=current_actor(), item_id=item_id)


@blp.route("/review-due")
class ReviewDue(MethodView):
    @roles_required(*access.ADMINISTRATORS)
    @blp.arguments(s.PageQuery, location="query")
    @blp.response(200, s.EntryBriefOut(many=True))
    def get(self, query):
        """List entries past their review date or expired (KB-11)."""
        found = usage.review_due(db.session, actor=current_actor(), **query)
        return output.briefs(db.session, found)


@blp.route("/reports/usage")
class UsageReport(MethodView):
    @roles_required(*access.REPORT_READERS)
    @blp.arguments(s.PeriodQuery, location="query")
    @blp.response(200, s.UsageReportOut)
    def get(self, query):
        """Views, searches (zero-result ones too), feedback and flags of a period (KB-10)."""
        return usage.usage_report(db.session, actor=current_actor(), **query)


@blp.route("/reports/models-without-entries")
class ModelsReport(MethodView):
    @roles_required(*access.REPORT_READERS)
    @blp.response(200, s.ModelsReportOut)
    def get(self):
        """Product models of requests that no published entry covers (KB-14)."""
        return {"product_models": usage.models_without_entries(db.session, actor=current_actor())}
