"""One error body for every 4xx/5xx: {code, status, message, error_code, details}."""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import jsonify
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from dispatch import errors

log = logging.getLogger(__name__)

STATUS_BY_ERROR = [
    (errors.NotFound, 404),
    (errors.AuthenticationFailed, 401),
    (errors.PermissionDenied, 403),
    (errors.LinkInvalid, 403),
    (errors.Conflict, 409),
    (errors.RuleViolation, 422),
    (errors.PayloadTooLarge, 413),
    (errors.UnsupportedMediaType, 415),
    (errors.TooManyRequests, 429),
]


def error_body(status: int, message: str, error_code: str, details=None) -> dict:
    """Build the single error shape."""
    return {
        "code": status,
        "status": HTTPStatus(status).phrase,
        "message": message,
        "error_code": error_code,
        "details": details or {},
    }


def error_response(status: int, message: str, error_code: str, details=None):
    """Return a Flask response in the single error shape."""
    response = jsonify(error_body(status, message, error_code, details))
    response.status_code = status
    return response


def status_for(error: errors.DomainError) -> int:
    """Map a domain error to its HTTP status."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def http_exception_body(error: HTTPException) -> dict:
    """Turn a werkzeug/webargs HTTP error into the single shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    details = {}
    message = error.description or HTTPStatus(status).phrase
    if "messages" in data:  # webargs validation: {location: {field: [msgs]}}
        details = {"fields": _keys_as_text(data["messages"])}
        message = "Invalid input: " + ", ".join(_field_names(data["messages"]))
    elif data.get("message"):
        message = data["message"]
    error_code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        412: "precondition_failed",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "validation_error",
        428: "precondition_required",
        429: "rate_limited",
    }.get(status, "http_error" if status < 500 else "server_error")
    return error_body(status, message, error_code, details)


def _keys_as_text(value):
    # marshmallow keys list items by index (0, 1, …) next to "_schema": JSON needs text keys.
    if isinstance(value, dict):
        return {str(key): _keys_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_keys_as_text(item) for item in value]
    return value


def _field_names(messages: dict) -> list[str]:
    names = []
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            names.extend(str(name) for name in location_errors)
    return names or ["body"]


def register(app) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(errors.DomainError)
    def _domain(error: errors.DomainError):
        return error_response(status_for(error), error.message, error.error_code, error.details)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        body = http_exception_body(error)
        response = jsonify(body)
        response.status_code = body["code"]
        return response

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _out_of_range(error: Exception):
        # A number or text beyond what the database column holds (e.g. an id of 2**70).
        log.info("value out of range: %s", error)
        return error_response(422, "A value is out of range", "value_out_of_range")

    @app.errorhandler(IntegrityError)
    def _integrity(error: IntegrityError):
        # A database guard (unique, exclusion, foreign key) caught a race the services could
        # not see; the transaction was rolled back and the client may retry.
        log.info("integrity conflict: %s", error.orig)
        return error_response(
            409, "The data changed meanwhile; nothing was saved", "integrity_conflict"
        )

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return error_response(500, "Internal server error", "server_error")
