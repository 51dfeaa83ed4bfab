"""ETag / If-Match on a visit, so a technician's edit never silently overwrites a dispatcher's.

The ETag is the visit's version (SQLAlchemy's version counter). A stale If-Match is a 412; an
edit that must carry one and does not is a 428. If the dispatcher commits between our check and
our write, the versioned UPDATE matches no row (StaleDataError), which is the same 412.
"""

from __future__ import annotations

import functools

from flask import request
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import PreconditionFailed, PreconditionRequired

from dispatch.api.base import current_actor
from dispatch.api.openapi import responds
from dispatch.db import db
from dispatch.visits.service import get_for_technician


def etag_of(visit_id: int, version: int) -> str:
    """Return the strong ETag value of one version of a visit."""
    return f"visit-{visit_id}-v{version}"


def with_visit_etag(view):
    """Set the ETag header from the visit a view returned."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        body = response.get_json(silent=True) or {}
        if "id" in body and "version" in body:
            response.set_etag(etag_of(body["id"], body["version"]))
        return response

    return wrapper


def if_match(required: bool):
    """Check If-Match against the visit's version (428 when required and missing, 412 stale)."""

    def decorator(view):
        @responds(412, *([428] if required else []))
        @functools.wraps(view)
        def wrapper(*args, visit_id, **kwargs):
            if request.if_match:
                # Someone else's visit is 404 here too: a 412 would say it exists.
                visit = get_for_technician(db.session, current_actor(), visit_id)
                if not request.if_match.contains(etag_of(visit.id, visit.version)):
                    raise PreconditionFailed("The visit changed meanwhile; reload it")
            elif required:
                raise PreconditionRequired("Send If-Match with the visit's ETag")
            try:
                return view(*args, visit_id=visit_id, **kwargs)
            except StaleDataError as exc:
                raise PreconditionFailed("The visit changed meanwhile; reload it") from exc

        return wrapper

    return decorator
