"""Reading one multipart upload: the size limit before the body is read, unknown fields refused."""

from __future__ import annotations

import functools

from flask import request

from dispatch.api.base import app_config
from dispatch.api.openapi import responds
from dispatch.attachments import rules
from dispatch.errors import RuleViolation


def attachment_limit(view):
    """Refuse a body above the attachment limit before it is read (413); document 415."""

    @responds(413, 415, 422)
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = app_config().attachment_max_bytes + rules.MULTIPART_OVERHEAD
        return view(*args, **kwargs)

    return wrapper


def read_upload() -> dict:
    """Return filename, content_type, data and note of the request's one file (422 otherwise)."""
    if not request.mimetype == "multipart/form-data":
        raise RuleViolation(
            "Send the file as multipart/form-data in the field 'file'",
            error_code="multipart_required",
            details={"file": ["missing"]},
        )
    unknown = rules.unknown_fields(request.form.keys(), request.files.keys())
    if unknown:
        raise RuleViolation(
            "Unknown fields: " + ", ".join(unknown),
            error_code="validation_error",
            details={"fields": {"form": {name: ["Unknown field."] for name in unknown}}},
        )
    files = request.files.getlist("file")
    if len(files) != 1:
        raise RuleViolation(
            "Send exactly one file in the field 'file'",
            error_code="attachment_refused",
            details={"file": ["exactly one file"]},
        )
    upload = files[0]
    notes = request.form.getlist("note")
    return {
        "filename": upload.filename,
        "content_type": upload.mimetype or "",
        "data": upload.read(),
        "note": notes[0].strip() if notes and notes[0].strip() else None,
    }
