"""Back-office catalogue endpoints: browse, and import a CSV (managers)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    SETUP_ROLES,
    STAFF_ROLES,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.errors import RuleViolation
from dispatch.parts import schemas, service

blp = Blueprint("parts", __name__, url_prefix="/api/v1", description="Parts catalogue")


@blp.route("/parts")
class Parts(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.PartSearchQuery, location="query")
    @blp.response(200, schemas.PartOut(many=True))
    def get(self, query):
        """Search active parts by code or name."""
        return service.search(db.session, **query)


@blp.route("/parts/import")
class PartImport(MethodView):
    @roles_required(*SETUP_ROLES)
    @blp.arguments(schemas.PartImportIn, location="files")
    @blp.response(200, schemas.ImportReportOut)
    @transactional
    def post(self, files):
        """Add or update parts from a CSV; the report gives each row's outcome."""
        return service.import_csv(db.session, actor=current_actor(), text=_text(files["file"]))


def _text(upload) -> str:
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleViolation(
            "The CSV must be UTF-8 text", error_code="csv_encoding", details={"file": ["utf-8"]}
        ) from exc
