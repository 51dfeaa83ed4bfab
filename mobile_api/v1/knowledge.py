"""The knowledge base on the technician's phone: search, read, rate, flag, and turn a completed
visit into a draft (KB-4, KB-8, KB-9, KB-10)."""

from flask.views import MethodView

from dispatch.api.base import current_actor, technician_required, transactional
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.knowledge import output, usage
from dispatch.knowledge import schemas as s
from dispatch.knowledge.search import search
from dispatch.knowledge.segment import app_segmenter
from dispatch.knowledge.service import get_entry
from mobile_api.v1 import blp


@blp.route("/knowledge/search")
class KnowledgeSearch(MethodView):
    @technician_required
    @blp.arguments(s.SearchQuery, location="query")
    @blp.response(200, s.EntryBriefOut(many=True))
    @transactional  # the search is logged (KB-10)
    def get(self, query):
        """Search published entries by words (Chinese or English), error code, model or tag."""
        found = search(db.session, actor=current_actor(), cut=app_segmenter().cut, **query)
        return output.briefs(db.session, found)


@blp.route("/visits/<int:visit_id>/knowledge-hints")
class VisitHints(MethodView):
    @technician_required
    @blp.response(200, s.EntryBriefOut(many=True))
    def get(self, visit_id):
        """Return the top 3 entries for my visit's product model and fault (KB-4)."""
        return usage.hints_for_visit(
            db.session, actor=current_actor(), visit_id=visit_id, cut=app_segmenter().cut
        )


@blp.route("/knowledge/entries/<int:entry_id>")
class KnowledgeEntry(MethodView):
    @technician_required
    @blp.response(200, s.EntryOut)
    @transactional  # the view is logged (KB-10)
    def get(self, entry_id):
        """Read a published entry."""
        return output.read(db.session, current_actor(), entry_id)


@blp.route("/knowledge/entries/<int:entry_id>/feedback")
class KnowledgeFeedback(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(s.FeedbackIn)
    @blp.response(201, s.FeedbackOut)
    def post(self, data, entry_id):
        """Say whether the entry helped, and comment (KB-10)."""
        return usage.give_feedback(db.session, actor=current_actor(), entry_id=entry_id, **data)


@blp.route("/knowledge/entries/<int:entry_id>/not-solved")
class KnowledgeNotSolved(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(s.FlagIn)
    @blp.response(201, s.QueueItemOut)
    def post(self, data, entry_id):
        """Flag that the entry, used on my visit, did not solve it (KB-9)."""
        return usage.flag_not_solved(db.session, actor=current_actor(), entry_id=entry_id, **data)


@blp.route("/visits/<int:visit_id>/knowledge-draft")
class VisitDraft(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(s.VisitDraftIn)
    @blp.response(201, s.EntryOut)
    def post(self, data, visit_id):
        """Turn my completed visit into a draft entry with its problem and solution (KB-8)."""
        actor = current_actor()
        entry = usage.draft_from_visit(db.session, actor=actor, visit_id=visit_id, **data)
        return output.staff_view(
            db.session, actor, get_entry(db.session, actor=actor, entry_id=entry.id)
        )
