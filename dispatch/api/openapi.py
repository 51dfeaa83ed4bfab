"""What /openapi.json promises beyond the schemas: the error shape and every status an operation
can answer, derived in one place from the decorators a view carries.

A decorator that can end a request with an error status marks the view with `responds(...)`:
`roles_required` → 401/403 and a bearer token, `idempotent` → 409/422/428 and the required
Idempotency-Key header, `if_match` → 412/428, the login limit → 401/429. `statuses_of` adds what
the route itself implies (path ids → 404; writes → 400/409/413/422), and `ContractPlugin` writes the
result into each operation of the document.
"""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin
from marshmallow import INCLUDE, Schema, fields

from dispatch.api.fields import UTCDateTime

MARK = "_error_statuses"
AUTH_MARK = "_token_required"
IDEMPOTENT_MARK = "_idempotent_write"
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})

TIME_FORMAT = (
    "Every time is ISO 8601 in UTC with an explicit `+00:00` offset "
    "(e.g. `2026-12-01T06:00:00+00:00`); input times may carry any offset."
)
ERROR_FORMAT = (
    "Every error (4xx/5xx) has one JSON shape: `{code, status, message, error_code, details}`; "
    "`error_code` is the stable machine-readable reason, `details` its data (for example "
    "`details.fields` on a 422, `details.alternatives` on a booking's 409 `window_taken`)."
)

LIST_FORMAT = (
    "Every list answers one page `{items, page: {limit, sort, next_cursor}}`: `limit` 1–200 "
    "(default 50), `sort` one of the list's named orders (`-` first is descending), `after` the "
    "`next_cursor` of the page before (opaque; null on the last page). Lists show only what the "
    "caller may see (their regions). Any query parameter an operation does not document is a 422 "
    "(`details.fields.query`)."
)


class ErrorOut(Schema):
    """The one error body of every 4xx/5xx answer."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    status = fields.String(required=True, metadata={"description": "The HTTP status phrase"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people"})
    error_code = fields.String(
        required=True,
        metadata={"description": "Stable reason for programs, e.g. `window_taken`"},
    )
    details = fields.Dict(
        required=True,
        metadata={"description": "Data of the reason; `fields` holds input errors on a 422"},
    )


class WindowOut(Schema):
    window_start = UTCDateTime(required=True)
    window_end = UTCDateTime(required=True)


class ConflictDetails(Schema):
    class Meta:
        unknown = INCLUDE  # other conflicts carry their own data

    alternatives = fields.List(
        fields.Nested(WindowOut),
        metadata={"description": "With `window_taken`: free windows to offer instead"},
    )


class ConflictOut(ErrorOut):
    """A 409 that may be `window_taken`, whose details list free windows to offer instead."""

    details = fields.Nested(ConflictDetails, required=True)


WINDOW_TAKEN = "WINDOW_TAKEN"


def register_components(spec) -> None:
    """Register the named responses that views refer to (beyond one per HTTP status)."""
    spec.components.response(
        WINDOW_TAKEN,
        {
            "description": "Conflict: `window_taken`, with `details.alternatives`; "
            "or another conflict in the error shape",
            "content": {"application/json": {"schema": ConflictOut}},
        },
    )


def responds(*statuses: int):
    """Mark a view as able to answer these error statuses (kept through functools.wraps)."""

    def mark(view):
        setattr(view, MARK, frozenset(getattr(view, MARK, ())) | frozenset(statuses))
        return view

    return mark


def token_required(view):
    """Mark a view as needing a bearer token: 401 without a valid one, 403 when not allowed."""
    setattr(view, AUTH_MARK, True)
    return responds(401, 403)(view)


def idempotency_key_required(view):
    """Mark a write that needs an Idempotency-Key: 428 without, 422 reused, 409 still running."""
    setattr(view, IDEMPOTENT_MARK, True)
    return responds(409, 422, 428)(view)


def statuses_of(view, method: str, path_ids: bool) -> frozenset[int]:
    """Return the error statuses one operation can answer besides 5xx."""
    statuses = set(getattr(view, MARK, ()))
    statuses.add(422)  # an unknown query parameter (dispatch.api.query) or a bad value
    if path_ids:
        statuses.add(404)
    if method in WRITE_METHODS:
        # 413: a body above MAX_REQUEST_BYTES; 422 also a JSON body nested too deep; 404 a
        # record the body names that the actor may not see
        statuses |= {400, 404, 409, 413, 422}
    return frozenset(statuses)


def _document_files(function, responses: dict) -> None:
    """Give a success without a schema (a PDF, a photo) its content type, as a binary body.

    flask-smorest drops the content type of a response that has no schema; the view's own
    decorator data still holds it.
    """
    declared = getattr(function, "_apidoc", {}).get("response", {}).get("responses", {})
    for status, docs in declared.items():
        response = responses.get(status, responses.get(str(status)))
        if not isinstance(response, dict) or "content" in response:
            continue
        for doc in docs:
            if isinstance(doc, dict) and doc.get("content_type") and not doc.get("schema"):
                binary = {"schema": {"type": "string", "format": "binary"}}
                response["content"] = {doc["content_type"]: binary}


IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
    "description": "One key per intended change: a retry with it replays the first answer; "
    "another body with it is 422; missing is 428; still running is 409",
}


REPLAYED = {
    "description": "`true` when this is the stored first answer to the same key",
    "schema": {"type": "string", "enum": ["true"]},
}


def _document_idempotency(operation: dict) -> None:
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
        parameters.insert(0, dict(IDEMPOTENCY_KEY))
    for status, response in operation["responses"].items():
        if str(status).startswith("2") and isinstance(response, dict):
            response.setdefault("headers", {})["Idempotent-Replayed"] = dict(REPLAYED)


class ContractPlugin(BasePlugin):
    """apispec plugin: document each operation's error statuses and its auth requirement."""

    def __init__(self, app):
        self.app = app

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = self.app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        for method, operation in operations.items():
            function = getattr(view_class, method, None) if view_class else view
            if function is None:
                continue
            statuses = statuses_of(function, method, bool(rule.arguments))
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                if status not in responses and str(status) not in responses:
                    responses[str(status)] = HTTPStatus(status).name
            if not getattr(function, AUTH_MARK, False):
                operation["security"] = []  # public: no token needed
            _document_files(function, responses)
            if getattr(function, IDEMPOTENT_MARK, False):
                _document_idempotency(operation)
