"""Application factory: config → db → api → blueprints → errors → cli."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, g, request
from flask_babel import Babel
from flask_jwt_extended import JWTManager
from werkzeug.routing import IntegerConverter

from dispatch import jobs, security
from dispatch.api import errors as api_errors
from dispatch.api import limits
from dispatch.api.base import Api
from dispatch.config import Config, activate, load_config, running_dev_server
from dispatch.db import db
from dispatch.knowledge import segment as knowledge_segmenter

LANGUAGES = {"zh_CN": "zh-CN", "en": "en"}
# /docs runs Swagger UI from the copy vendored under dispatch/web/static (no CDN, works offline).
SWAGGER_UI_VERSION = "5.35.0"


def create_app(config: Config | None = None) -> Flask:
    """Build the Flask app for a configuration (the environment's when none is given)."""
    config = config or load_config()
    config.require_serving_key(dev_server=running_dev_server())
    activate(config)
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = Flask(__name__)
    app.config.update(
        DISPATCH=config,
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        JWT_SECRET_KEY=config.secret_key,
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=config.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=config.refresh_token_days),
        # API clients send a bearer header; the console's cookie is HttpOnly and SameSite=Strict,
        # and its writes need the double-submitted CSRF token (X-CSRF-TOKEN).
        JWT_TOKEN_LOCATION=["headers", "cookies"],
        JWT_COOKIE_SECURE=config.cookie_secure,
        JWT_COOKIE_SAMESITE="Strict",
        JWT_COOKIE_CSRF_PROTECT=True,
        JWT_SESSION_COOKIE=True,
        API_TITLE="Field dispatch API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/static/web/swagger-ui/",  # SWAGGER_UI_VERSION, vendored
        OPENAPI_SWAGGER_UI_CONFIG={"validatorUrl": None},  # no badge fetched from outside
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_TRANSLATION_DIRECTORIES="translations",
    )
    db.configure(config.effective_database_url)
    app.teardown_appcontext(lambda _exc: db.session.remove())
    _init_auth(app)
    Babel(app, locale_selector=_select_locale)
    app.context_processor(lambda: {"page_lang": _select_locale().replace("_", "-")})
    app.url_map.converters["int"] = DatabaseId  # before any route is registered
    _register_blueprints(app)
    knowledge_segmenter.init(app)
    jobs.init_app(app, config)
    limits.init(app, config)
    security.init(app, config)
    api_errors.register(app)
    from dispatch.cli import register as register_cli

    register_cli(app)
    return app


class DatabaseId(IntegerConverter):
    """Path ids fit the database's integer columns; larger numbers simply match no route."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _select_locale() -> str:
    chosen = request.args.get("lang") or g.get("page_language", "")
    chosen = chosen.replace("-", "_")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or "zh_CN"


def _init_auth(app: Flask) -> None:
    jwt = JWTManager(app)

    def reply(status: int, code: str, message: str):
        return api_errors.error_response(status, message, code)

    jwt.unauthorized_loader(lambda reason: reply(401, "unauthorized", reason))
    jwt.invalid_token_loader(lambda reason: reply(401, "invalid_token", reason))
    jwt.expired_token_loader(lambda _h, _p: reply(401, "token_expired", "Token has expired"))
    jwt.revoked_token_loader(lambda _h, _p: reply(401, "token_revoked", "Token was revoked"))
    jwt.token_in_blocklist_loader(_device_session_ended)
    jwt.needs_fresh_token_loader(
        lambda _h, _p: reply(401, "fresh_token_required", "Fresh token required")
    )


def _device_session_ended(_header: dict, claims: dict) -> bool:
    """Refuse tokens of a logged-out or replaced device session (mobile app)."""
    from dispatch.devices.service import is_revoked

    return is_revoked(db.session, claims)


def _register_blueprints(app: Flask) -> None:
    from dispatch.alerts.views import blp as alerts
    from dispatch.assessments.views import blp as assessments
    from dispatch.assignments.views import blp as assignments
    from dispatch.attachments.views import blp as attachments
    from dispatch.backlog.views import blp as backlog
    from dispatch.booking.views import blp as booking
    from dispatch.complaints.page import bp as complaint_page
    from dispatch.complaints.views import blp as complaints
    from dispatch.customers.review import blp as site_review
    from dispatch.customers.views import blp as customers
    from dispatch.dayboard.views import blp as dayboard
    from dispatch.dayboard.views import desk
    from dispatch.followups.views import blp as followups
    from dispatch.health.views import bp as health
    from dispatch.intake.views import blp as intake
    from dispatch.jobparts.views import blp as jobparts
    from dispatch.knowledge.views import blp as knowledge
    from dispatch.links.views import blp as links
    from dispatch.locationmodes.views import blp as location_modes
    from dispatch.notifications.views import blp as messages
    from dispatch.opinions.page import bp as opinion_page
    from dispatch.opinions.views import blp as opinions
    from dispatch.parts.views import blp as parts
    from dispatch.payments.views import blp as finance
    from dispatch.photos.views import blp as photos
    from dispatch.privacy.views import blp as privacy
    from dispatch.quotes.views import blp as quotes
    from dispatch.regions.views import blp as regions
    from dispatch.reports.views import blp as reports
    from dispatch.returnvisits.views import blp as return_visits
    from dispatch.routing.views import blp as routing
    from dispatch.serviceplans.views import blp as service_plans
    from dispatch.technicians.views import blp as technicians
    from dispatch.users.views import blp as users
    from dispatch.visits.views import blp as visits
    from dispatch.vouchers.views import blp as vouchers
    from dispatch.web.console import bp as console
    from dispatch.web.verify import bp as verify
    from dispatch.web.views import bp as web
    from dispatch.webform.views import blp as web_requests
    from mobile_api.v1 import blp as mobile

    api = Api(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearer": []}],
        },
    )
    for blueprint in (users, customers, intake, booking, visits, technicians, routing, mobile):
        api.register_blueprint(blueprint)
    for blueprint in (followups, complaints, alerts, backlog, reports, regions, vouchers):
        api.register_blueprint(blueprint)
    for blueprint in (photos, parts, knowledge, attachments, links, messages, dayboard, desk):
        api.register_blueprint(blueprint)
    for blueprint in (privacy, assignments, jobparts, assessments, site_review):
        api.register_blueprint(blueprint)
    api.register_blueprint(service_plans)  # INT-12
    api.register_blueprint(web_requests)  # INT-15
    for blueprint in (opinions, return_visits, quotes, finance, location_modes):
        api.register_blueprint(blueprint)
    app.register_blueprint(health)
    app.register_blueprint(web)
    app.register_blueprint(complaint_page)
    app.register_blueprint(opinion_page)
    app.register_blueprint(console)
    app.register_blueprint(verify)
    from dispatch.web.plan_page import bp as plan_page

    app.register_blueprint(plan_page)  # INT-12
    from dispatch.web.request_form import bp as request_form

    app.register_blueprint(request_form)  # INT-15
    from dispatch.privacy.pages import bp as privacy_pages

    app.register_blueprint(privacy_pages)
