"""Process-wide safety: response headers, request body limits, and redaction of logs."""

from __future__ import annotations

import json
import logging
import re

from flask import Flask, request
from werkzeug.exceptions import UnprocessableEntity

from dispatch.config import Config

# Pages load scripts, styles and images from this origin only; nothing inline, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI (vendored, no personal data) starts itself with an inline script and styles.
DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'; style-src 'self'",
    "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'",
)
DOCS_ENDPOINTS = {"api-docs.openapi_swagger_ui"}

PHONE = re.compile(r"(?<![\w])(\+?)(\d{3,11})(\d{4})(?!\d)")
LINK_TOKEN = re.compile(r"/(l|v|p)/[A-Za-z0-9_\-.~%]+")  # p: service plans (INT-12)
ONE_TIME_CODE = re.compile(r"(验证码是|code is )\d{6}")  # the web form's SMS code (INT-15)


def redact(text: str) -> str:
    """Mask phone numbers (all but the last four digits) and customer link tokens in a text."""
    text = LINK_TOKEN.sub(lambda m: f"/{m.group(1)}/[redacted]", text)
    text = ONE_TIME_CODE.sub(lambda m: f"{m.group(1)}[redacted]", text)
    return PHONE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


class RedactingFilter(logging.Filter):
    """Rewrite a record's message with phones masked and link tokens removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Format the record's message once and keep only its redacted text."""
    if getattr(record, "redacted", False):
        return record
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call: keep what was given, still redacted
        message = f"{record.msg} {record.args}"
    record.msg, record.args, record.redacted = redact(message), None, True
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    return record


def install_log_redaction() -> None:
    """Redact every log record of the process, whichever handler writes it.

    The record factory is the one place all records pass through (handler filters miss
    handlers added later); installing twice keeps one layer.
    """
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacting", False):
        return

    def make_record(*args, **kwargs):
        return redact_record(factory(*args, **kwargs))

    make_record.redacting = True
    logging.setLogRecordFactory(make_record)


def json_depth(value) -> int:
    """Return how deeply arrays and objects nest in a parsed JSON value (iteratively)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def check_json_body(max_depth: int) -> None:
    """Refuse a JSON body nested deeper than max_depth (422) before any view parses it."""
    if not request.is_json:
        return
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 here
    if not raw:
        return
    try:
        parsed = json.loads(raw)
    except RecursionError:
        parsed = None
        too_deep = True
    except ValueError:
        return  # malformed: the view's parser answers 400
    else:
        too_deep = json_depth(parsed) > max_depth
    if too_deep:
        raise UnprocessableEntity(f"JSON nests deeper than {max_depth} levels")


def add_security_headers(response):
    """Security headers on every answer; nothing with data is cached (only static files are)."""
    docs = request.endpoint in DOCS_ENDPOINTS
    response.headers["Content-Security-Policy"] = (
        DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if not (request.endpoint or "").endswith("static"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init(app: Flask, config: Config) -> None:
    """Install body limits, security headers and log redaction on the app."""
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    app.before_request(lambda: check_json_body(config.json_max_depth))
    app.after_request(add_security_headers)
    install_log_redaction()
