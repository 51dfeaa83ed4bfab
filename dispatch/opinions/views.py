"""Staff endpoints of opinions: the department inboxes, taking, replying and closing (FUP-8/11)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import STAFF_ROLES, current_actor, roles_required, transactional
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.opinions import schemas, service
from dispatch.users.rules import OPINION_HANDLERS

HANDLERS = tuple(map(str, OPINION_HANDLERS))

blp = Blueprint(
    "opinions",
    __name__,
    url_prefix="/api/v1/opinions",
    description="Customers' opinions and suggestions, per responsible department",
)


@blp.route("")
class Opinions(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.OpinionListArgs, location="query")
    @blp.response(200, schemas.OpinionPage)
    def get(self, args):
        """List opinions of my regions, newest first (keyset pages); `department=` gives one
        department's inbox (FUP-8), `status=open` what nobody has taken yet."""
        return service.list_opinions(db.session, current_actor(), **args)


@blp.route("/<int:opinion_id>")
class OpinionById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.OpinionOut)
    def get(self, opinion_id):
        """Read one opinion with its replies."""
        return service.get_opinion(db.session, opinion_id, actor=current_actor())


@blp.route("/<int:opinion_id>/acknowledge")
class Acknowledge(MethodView):
    @roles_required(*HANDLERS)
    @blp.response(200, schemas.OpinionOut)
    @transactional
    def post(self, opinion_id):
        """Take an open opinion of the inbox; I become its owner."""
        return service.acknowledge(db.session, actor=current_actor(), opinion_id=opinion_id)


@blp.route("/<int:opinion_id>/close")
class Close(MethodView):
    @roles_required(*HANDLERS)
    @blp.arguments(schemas.OpinionCloseIn)
    @blp.response(200, schemas.OpinionOut)
    @transactional
    def post(self, data, opinion_id):
        """Close a handled opinion (no more replies)."""
        return service.close(db.session, actor=current_actor(), opinion_id=opinion_id, **data)


@blp.route("/<int:opinion_id>/replies")
class Replies(MethodView):
    @roles_required(*HANDLERS)
    @idempotent
    @blp.arguments(schemas.ReplyIn)
    @blp.response(201, schemas.ReplyOut)
    def post(self, data, opinion_id):
        """Reply to the customer: stored, sent by SMS and shown on their link pages (FUP-11;
        needs an Idempotency-Key)."""
        return service.reply(db.session, actor=current_actor(), opinion_id=opinion_id, **data)
