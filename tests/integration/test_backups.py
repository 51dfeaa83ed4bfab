"""PRV-14: the database is backed up on a schedule, and every run of the tests restores a backup
and finds every row again (PostgreSQL with pg_dump/pg_restore, SQLite with its backup API)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from dispatch import backups, schema
from dispatch.clock import utcnow
from dispatch.config import ConfigError
from dispatch.privacy import crypto
from dispatch.regions.models import Region
from tests.builders import repair_request
from tests.conftest import PG_URL


@pytest.fixture
def scratch_url():
    """An empty PostgreSQL database beside the test one, dropped afterwards."""
    url = make_url(PG_URL).set(database=f"{make_url(PG_URL).database}_restore")
    admin = make_url(PG_URL).set(drivername="postgresql", database="postgres")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def test_prv_14_a_postgres_backup_restores_every_row_and_decrypts_with_the_same_keys(
    app, config, client, world, tmp_path, scratch_url
):
    request = repair_request(client, world)
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", "create", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    path = Path(made.output.strip())
    assert path.parent == tmp_path and path.suffix == ".dump"
    assert path.stat().st_mode & 0o077 == 0  # readable by this user only
    checked = runner.invoke(args=["backup", "verify", str(path), scratch_url])
    assert checked.exit_code == 0, checked.output
    assert "restore verified" in checked.output
    engine = create_engine(scratch_url)
    with engine.connect() as conn:
        number, phone = conn.execute(
            text(
                "SELECT r.number, c.phone FROM service_requests r"
                " JOIN customers c ON c.id = r.customer_id WHERE r.id = :i"
            ),
            {"i": request["id"]},
        ).one()
    engine.dispose()
    assert number == request["number"]
    assert "13800138000" not in phone  # still encrypted in the dump (PRV-10) …
    plain = crypto.keyring(config).decrypt(phone.encode()).decode()
    assert plain == "+8613800138000"  # … and readable with the same keys


def test_prv_14_verify_names_the_tables_a_restore_lost(app, client, world, tmp_path, scratch_url):
    repair_request(client, world)
    path = backups.create(PG_URL, tmp_path, utcnow())
    repair_request(client, world)  # written after the backup: the restore lacks it
    differ = backups.verify(path, PG_URL, scratch_url)
    assert differ["service_requests"] == (2, 1)


def test_prv_14_the_sweep_backs_up_when_the_newest_is_older_than_the_interval_and_keeps_a_few(
    config, tmp_path
):
    scheduled = replace(config, backup_dir=str(tmp_path), backup_interval_hours=24, backup_keep=2)
    now = utcnow()
    assert backups.sweep(replace(config, backup_dir=""), now) == 0  # off unless configured
    assert backups.sweep(scheduled, now) == 1
    assert backups.sweep(scheduled, now + timedelta(hours=1)) == 0  # not due yet
    assert backups.sweep(scheduled, now + timedelta(hours=25)) == 1
    assert backups.sweep(scheduled, now + timedelta(hours=50)) == 1
    kept = backups.backups_in(tmp_path)
    assert len(kept) == 2  # BACKUP_KEEP newest
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial-")]


def test_prv_14_a_sqlite_backup_restores_every_row(tmp_path):
    source = f"sqlite:///{tmp_path / 'live.db'}"
    schema.upgrade(source)
    engine = create_engine(source)
    with Session(engine) as session:
        session.add(Region(code="SH", name="Shanghai"))
        session.commit()
    engine.dispose()
    path = backups.create(source, tmp_path / "backups", utcnow())
    assert path.suffix == ".sqlite3"
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    assert backups.verify(path, source, restored) == {}
    assert backups.row_counts(restored)["regions"] == 1


def test_prv_14_backup_settings_must_be_positive(config):
    with pytest.raises(ConfigError):
        replace(config, backup_keep=0).validate()
