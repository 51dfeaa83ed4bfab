"""/mobile/v1: narrow schemas of its own over the dispatch services."""

from flask_smorest import Blueprint

blp = Blueprint(
    "mobile_v1",
    __name__,
    url_prefix="/mobile/v1",
    description="Technician app: login, today's route, status changes",
)

from mobile_api.v1 import (  # noqa: E402,F401  (routes register on blp)
    attachments,
    auth,
    complaints,
    follow_on,
    knowledge,
    parts,
    photos,
    privacy,
    quotes,
    visits,
)
