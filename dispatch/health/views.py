"""GET /health: database, Redis and worker status."""

from __future__ import annotations

from flask import Blueprint, jsonify
from rq import Worker
from sqlalchemy import text

from dispatch.api.base import app_config
from dispatch.db import db
from dispatch.jobs import queue_for, redis_connection

bp = Blueprint("health", __name__)


def _check(probe) -> dict:
    try:
        return {"ok": True, **(probe() or {})}
    except Exception as exc:  # a health page reports failures, it does not raise them
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}


@bp.get("/health")
def health():
    """Report whether the database, Redis and at least one worker are up."""
    config = app_config()

    def database():
        db.session.execute(text("SELECT 1"))
        return {"backend": db.engine.dialect.name}

    def redis():
        redis_connection(config).ping()
        return {"embedded": not config.redis_url}

    def worker():
        workers = Worker.all(connection=redis_connection(config))
        if not workers:
            raise RuntimeError("no worker registered")
        return {"workers": len(workers), "queued": queue_for(config).count}

    checks = {"database": _check(database), "redis": _check(redis), "worker": _check(worker)}
    healthy = all(check["ok"] for check in checks.values())
    return jsonify({"status": "ok" if healthy else "degraded", **checks}), 200 if healthy else 503
