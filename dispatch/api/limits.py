"""Rate limits (Flask-Limiter on Redis): customer links and logins are public doors."""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from dispatch.api.openapi import responds
from dispatch.config import Config
from dispatch.jobs import redis_link

limiter = Limiter(
    get_remote_address, key_prefix="limits", headers_enabled=True, swallow_errors=True
)
# The numbers are settings, read when a request comes in.
_login_limit = limiter.limit(lambda: current_app.config["DISPATCH"].login_rate_limit)
link_limit = limiter.limit(lambda: current_app.config["DISPATCH"].link_rate_limit)


def login_limit(view):
    """Limit a credentials door per client: wrong credentials are 401, too many tries 429."""
    return responds(401, 429)(_login_limit(view))


def storage_uri(app: Flask, config: Config) -> str:
    """Return the limits storage: the configured Redis, or the embedded one's socket."""
    if config.redis_url:
        return config.redis_url
    socket = redis_link(app).client.connection_pool.connection_kwargs["path"]
    return f"redis+unix://{socket}"


def init(app: Flask, config: Config) -> None:
    """Bind the limiter to the app and its Redis."""
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app, config)
    limiter.init_app(app)
