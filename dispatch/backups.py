"""Database backups on a schedule, and the check that a backup restores (PRV-14).

With `BACKUP_DIR` set, the worker's sweep makes a backup whenever the newest one there is older
than `BACKUP_INTERVAL_HOURS`, and keeps the `BACKUP_KEEP` newest. The files are the record: a
worker that was down catches up at its next sweep, and several workers take a lock file so only
one dumps. PostgreSQL is dumped with `pg_dump --format=custom` (restored by `pg_restore`);
the zero-configuration SQLite file is copied with SQLite's online backup API.

`verify` restores a backup into a scratch database and compares every table's row count with
the database it came from; `flask backup verify` runs it, and the tests do on every run.
Personal fields stay encrypted in the dump (PRV-10): a restore needs the same `DATA_KEYS`.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table
from sqlalchemy.engine import make_url

from dispatch.config import Config

log = logging.getLogger(__name__)

PREFIX = "dispatch-"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def _kind(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


def _libpq(database_url: str) -> str:
    """The SQLAlchemy URL as libpq takes it (`postgresql://…`, no driver name)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


def _sqlite_path(database_url: str) -> str:
    return make_url(database_url).database


def _sqlite_copy(source_path, target_path) -> None:
    """Copy a SQLite database with its online backup API (consistent while others write)."""
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target_path)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def backups_in(directory: Path) -> list[Path]:
    """The backups in `directory`, oldest first (their names carry the UTC time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.is_file())


def is_due(directory: Path, interval: timedelta, now: datetime) -> bool:
    """Whether the newest backup is older than the interval (or there is none)."""
    existing = backups_in(directory)
    if not existing:
        return True
    newest = datetime.fromtimestamp(existing[-1].stat().st_mtime, UTC)
    return now - newest >= interval


def create(database_url: str, directory: Path, now: datetime) -> Path:
    """Write one backup of the database into `directory` and return its path.

    It is written under a temporary name and renamed when complete, so a crash mid-dump never
    leaves a file that looks like a backup.
    """
    kind = _kind(database_url)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}{SUFFIXES[kind]}"
    partial = target.with_name(f".partial-{target.name}")
    if kind == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _libpq(database_url)],
            check=True,
            capture_output=True,
        )
    else:
        _sqlite_copy(_sqlite_path(database_url), partial)
    os.chmod(partial, 0o600)  # personal data, even encrypted: this user only
    partial.rename(target)
    return target


def restore(path: Path, target_url: str) -> None:
    """Restore a backup into the (empty or disposable) database `target_url`."""
    if _kind(target_url) == "postgresql":
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target_url)}", path],
            check=True,
            capture_output=True,
        )
    else:
        _sqlite_copy(path, _sqlite_path(target_url))


def row_counts(database_url: str) -> dict[str, int]:
    """Every table's row count (what a restore must bring back)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return {
                name: connection.scalar(select(func.count()).select_from(table(name)))
                for name in names
            }
    finally:
        engine.dispose()


def verify(path: Path, source_url: str, scratch_url: str) -> dict[str, tuple[int, int]]:
    """Restore `path` into the empty scratch database and return the tables whose row counts
    differ from the source ({} when the restore is whole)."""
    restore(path, scratch_url)
    expected, restored = row_counts(source_url), row_counts(scratch_url)
    return {
        name: (expected.get(name, 0), restored.get(name, 0))
        for name in expected.keys() | restored.keys()
        if expected.get(name, 0) != restored.get(name, 0)
    }


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups; return what went."""
    old = backups_in(directory)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old


def sweep(config: Config, now: datetime) -> int:
    """The worker's backstop: make a backup when one is due; 1 if made, else 0."""
    if not config.backup_dir:
        return 0
    directory = Path(config.backup_dir)
    interval = timedelta(hours=config.backup_interval_hours)
    if not is_due(directory, interval, now):
        return 0
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0  # another worker is dumping right now
        if not is_due(directory, interval, now):
            return 0
        try:
            made = create(config.effective_database_url, directory, now)
        except (subprocess.CalledProcessError, sqlite3.Error, OSError) as error:
            detail = getattr(error, "stderr", b"") or b""
            log.error("backup failed: %s %s", type(error).__name__, detail[-300:])
            return 0
        prune(directory, config.backup_keep)
        log.info("backup written: %s", made.name)
        return 1
