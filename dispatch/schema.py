"""Apply and check Alembic migrations from code (CLI, tests, start-up)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext

from dispatch.config import PROJECT_ROOT
from dispatch.db import db


def alembic_config(url: str) -> AlembicConfig:
    """Return an Alembic config for our migrations folder and a database URL."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Migrate the database to `revision`."""
    command.upgrade(alembic_config(url or db.url), revision)


def differences(url: str | None = None) -> list:
    """Return what autogenerate finds between the models and the migrated database."""
    import dispatch.models as models

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, models.Base.metadata)
