"""The SMS sent to customers, for staff (issue 12)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import current_actor, list_operation
from dispatch.db import db
from dispatch.notifications import schemas, service

blp = Blueprint(
    "messages", __name__, url_prefix="/api/v1/messages", description="SMS sent to customers"
)


@blp.route("")
class Messages(MethodView):
    @list_operation(blp, schemas.MessageListArgs, schemas.MessagePage)
    def get(self, args):
        """List the SMS of the regions I may see, newest first (keyset pages): to whom
        (masked), purpose, status and times; filter by status, purpose, visit, request, region."""
        return service.list_messages(db.session, current_actor(), **args)
