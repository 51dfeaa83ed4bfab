"""Declarative base, engine and sessions (one request or job, one transaction)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import DateTime, TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Store UTC, hand back aware datetimes on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the system stores aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON, list: JSON}


class Database:
    """Holds the engine and the request-scoped session; rebuilt safely after a fork."""

    def __init__(self) -> None:
        self.url: str | None = None
        self._engine: Engine | None = None
        self._pid: int | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def configure(self, url: str) -> None:
        """Point the database at a URL; drops any engine made for another URL."""
        if self.url == url and self._engine is not None:
            return
        if self._engine is not None:
            self._engine.dispose()
        self.url = url
        self._engine = _make_engine(url)
        self._pid = os.getpid()
        self.session.remove()
        self.session.configure(bind=self._engine)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("database not configured: call create_app() first")
        if self._pid != os.getpid():
            # RQ forks a work horse per job: never share pooled connections across a fork.
            self._engine.dispose(close=False)
            self._pid = os.getpid()
        return self._engine

    @property
    def is_sqlite(self) -> bool:
        return bool(self.url and self.url.startswith("sqlite"))


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # hide_parameters: SQL errors in logs never carry the values (phones, names, addresses)
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


db = Database()


@contextmanager
def session_scope() -> Iterator[Session]:
    """Open a session for a job or CLI command: commit on success, roll back on error."""
    session = Session(bind=db.engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
